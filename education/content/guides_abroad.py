"""Starter guides for the main destination countries and for filing a complaint."""

_COMMON_SOURCES = "UU No. 18 Tahun 2017\nCrisis Center KemenP2MI: 0800-1000"


def _country(code, slug_id, slug_en, name_id, name_en, categories, sources, body_id, body_en):
    return {
        "topic": "hak-di-negara-tujuan",
        "stage": "abroad",
        "country": code,
        "categories": categories,
        "sources": sources + "\n" + _COMMON_SOURCES,
        "id": {
            "slug": slug_id,
            "title": f"Hak dan bantuan bagi pekerja migran di {name_id}",
            "summary": f"Jalur masuk yang sah, hak utama, dan nomor bantuan di {name_id}.",
            "body": body_id,
        },
        "en": {
            "slug": slug_en,
            "title": f"Rights and help for migrant workers in {name_en}",
            "summary": f"The legal way in, your main rights and help numbers in {name_en}.",
            "body": body_en,
        },
    }


_HELP_ID = """
## Bantuan dari Indonesia

- Crisis Center KemenP2MI **0800-1000** (bebas pulsa dari Indonesia).
- Portal ini: laporkan masalah dan pantau penanganannya dengan nomor laporan Anda.
- Nomor perwakilan RI ada di aplikasi **Safe Travel** Kementerian Luar Negeri.
"""
_HELP_EN = """
## Help from Indonesia

- KemenP2MI Crisis Center **0800-1000** (toll-free from Indonesia).
- This portal: report a problem and follow it with your report reference.
- The numbers of Indonesian missions are in the Foreign Ministry's **Safe Travel** app.
"""

MALAYSIA = _country(
    "MY",
    "hak-pekerja-migran-di-malaysia",
    "migrant-worker-rights-in-malaysia",
    "Malaysia",
    "Malaysia",
    "unpaid-wages,documents-withheld,detention,wants-to-go-home,violence",
    "Nota Kesepahaman RI-Malaysia tentang penempatan pekerja domestik (2022)\n"
    "Passports Act 1966 (Malaysia), section 12\nMinimum Wages Order 2024 (Malaysia)",
    """## Masuk secara sah

Bekerja di Malaysia memerlukan izin kerja (*work permit*) yang diurus pemberi kerja, lewat P3MI
berizin. Pekerja rumah tangga ditempatkan melalui **Sistem Satu Kanal** sesuai nota kesepahaman
kedua negara tahun 2022. Masuk dengan visa kunjungan lalu bekerja membuat Anda bisa ditangkap dan
ditahan sebagai pendatang tanpa izin.

## Hak utama

- Gaji dibayar sesuai perjanjian kerja, paling lambat tiap bulan. Upah minimum Malaysia sejak
  Februari 2025 adalah RM1.700 sebulan untuk pekerja yang tercakup Minimum Wages Order 2024.
- Menurut hukum Malaysia (Passports Act 1966), menahan paspor orang lain tanpa hak adalah
  pelanggaran: **paspor Anda tetap milik Anda**.
- Hari istirahat dan perawatan kesehatan sesuai perjanjian kerja.

## Di mana minta tolong

- **KBRI Kuala Lumpur**, atau KJRI Johor Bahru, Penang, Kota Kinabalu, Kuching, dan KRI Tawau.
- Jabatan Tenaga Kerja (Departemen Tenaga Kerja) Malaysia untuk sengketa gaji.
- Dalam bahaya: polisi Malaysia **999**.
"""
    + _HELP_ID,
    """## Entering legally

Working in Malaysia needs a work permit arranged by the employer, through a licensed P3MI. Domestic
workers are placed through the **One Channel System** under the two countries' 2022 memorandum of
understanding. Entering on a visit visa and then working can get you arrested and detained as an
undocumented migrant.

## Main rights

- Wages paid as the employment contract says, at least monthly. Malaysia's minimum wage since
  February 2025 is RM1,700 a month for workers covered by the Minimum Wages Order 2024.
- Under Malaysian law (Passports Act 1966) keeping another person's passport without authority is
  an offence: **your passport stays yours**.
- Rest days and health care as set in the employment contract.

## Where to get help

- **The Indonesian Embassy in Kuala Lumpur**, or the consulates in Johor Bahru, Penang, Kota
  Kinabalu, Kuching and Tawau.
- Malaysia's Labour Department (Jabatan Tenaga Kerja) for wage disputes.
- In danger: Malaysian police **999**.
"""
    + _HELP_EN,
)

SAUDI = _country(
    "SA",
    "hak-pekerja-migran-di-arab-saudi",
    "migrant-worker-rights-in-saudi-arabia",
    "Arab Saudi",
    "Saudi Arabia",
    "unpaid-wages,wants-to-go-home,violence,sexual-harassment,trafficking,documents-withheld",
    "Kepmenaker No. 260 Tahun 2015\nKementerian Sumber Daya Manusia Arab Saudi (MHRSD), "
    "layanan 19911",
    """## Masuk secara sah

Sejak 2015 (Kepmenaker 260/2015) penempatan **pekerja rumah tangga** perorangan ke negara-negara
Timur Tengah, termasuk Arab Saudi, dihentikan; hanya skema resmi yang ditetapkan pemerintah yang
boleh. Pekerjaan di sektor formal (rumah sakit, hotel, konstruksi) tetap bisa lewat P3MI berizin.
Tawaran bekerja dengan **visa umrah atau visa ziarah** adalah jalur ilegal.

## Hak utama

- Kontrak kerja tertulis; untuk pekerja rumah tangga kontrak tercatat di platform pemerintah Saudi.
- Gaji dibayar sesuai kontrak; simpan bukti transfer atau slip gaji.
- Paspor dan izin tinggal (*iqama*) Anda tidak boleh dipakai untuk menekan Anda.

## Di mana minta tolong

- **KBRI Riyadh** dan **KJRI Jeddah**.
- Layanan Kementerian Sumber Daya Manusia Arab Saudi: **19911**.
- Dalam bahaya: polisi **999** atau nomor darurat **911**.
"""
    + _HELP_ID,
    """## Entering legally

Since 2015 (Ministerial Decree 260/2015) placing individual **domestic workers** in Middle Eastern
countries, Saudi Arabia included, has been stopped; only the official scheme set by the government
is allowed. Jobs in the formal sector (hospitals, hotels, construction) remain open through licensed
P3MI. Offers to work on an **umrah or visit visa** are an illegal route.

## Main rights

- A written contract; for domestic workers the contract is registered on the Saudi government's
  platform.
- Wages paid as the contract says; keep transfer receipts or pay slips.
- Your passport and residence permit (*iqama*) may not be used to pressure you.

## Where to get help

- **The Indonesian Embassy in Riyadh** and **the Consulate General in Jeddah**.
- Saudi Ministry of Human Resources service line: **19911**.
- In danger: police **999** or the emergency number **911**.
"""
    + _HELP_EN,
)

TAIWAN = _country(
    "TW",
    "hak-pekerja-migran-di-taiwan",
    "migrant-worker-rights-in-taiwan",
    "Taiwan",
    "Taiwan",
    "unpaid-wages,excessive-fees,wants-to-go-home,violence,sexual-harassment",
    "Kementerian Tenaga Kerja Taiwan, layanan 1955",
    """## Masuk secara sah

Pekerja migran ke Taiwan berangkat lewat P3MI berizin dengan izin kerja yang diurus pemberi kerja.
Kantor Dagang dan Ekonomi Indonesia (**KDEI**) di Taipei menjalankan fungsi perwakilan RI.

## Hak utama

- Gaji sesuai kontrak, dibayar penuh; potongan hanya yang tertulis di kontrak dan diizinkan hukum
  Taiwan.
- Anda boleh menyimpan paspor dan kartu izin tinggal (ARC) Anda sendiri.
- Bila diperlakukan buruk, Anda bisa meminta pindah majikan melalui otoritas tenaga kerja.

## Di mana minta tolong

- **Saluran 1955**: layanan pengaduan dan konsultasi pekerja asing dari Kementerian Tenaga Kerja
  Taiwan, bebas pulsa, 24 jam, tersedia dalam Bahasa Indonesia.
- **KDEI Taipei**.
- Dalam bahaya: polisi **110**.
"""
    + _HELP_ID,
    """## Entering legally

Migrant workers go to Taiwan through a licensed P3MI with a work permit arranged by the employer.
The Indonesian Economic and Trade Office (**KDEI**) in Taipei acts as Indonesia's mission.

## Main rights

- Wages as in the contract, paid in full; deductions only as written in the contract and allowed by
  Taiwanese law.
- You may keep your own passport and residence card (ARC).
- If you are mistreated, you can ask the labour authority to transfer you to another employer.

## Where to get help

- **The 1955 line**: the complaint and advice line for foreign workers of Taiwan's Ministry of
  Labor, toll-free, 24 hours, available in Indonesian.
- **KDEI Taipei**.
- In danger: police **110**.
"""
    + _HELP_EN,
)

HONG_KONG = _country(
    "HK",
    "hak-pekerja-migran-di-hong-kong",
    "migrant-worker-rights-in-hong-kong",
    "Hong Kong",
    "Hong Kong",
    "unpaid-wages,excessive-fees,wants-to-go-home,violence,sexual-harassment",
    "Employment Ordinance dan Employment Agency Regulations (Hong Kong)\nLabour Department "
    "Hong Kong, 2717 1771",
    """## Masuk secara sah

Pekerja rumah tangga ke Hong Kong berangkat lewat P3MI berizin dan menandatangani **Kontrak Kerja
Standar** (*Standard Employment Contract*) pemerintah Hong Kong.

## Hak utama

- Gaji paling sedikit sebesar **upah minimum yang diizinkan** (*Minimum Allowable Wage*) yang
  ditetapkan pemerintah Hong Kong, ditambah tunjangan makan bila makanan tidak disediakan.
- Satu hari libur setiap minggu dan libur hari raya resmi.
- Agen tenaga kerja di Hong Kong **tidak boleh memungut lebih dari 10 % gaji bulan pertama**
  Anda.
- Paspor Anda tidak boleh ditahan majikan atau agen.

## Di mana minta tolong

- **KJRI Hong Kong**.
- Labour Department Hong Kong: **2717 1771**, dan situs khusus pekerja rumah tangga
  fdh.labour.gov.hk.
- Dalam bahaya: **999**.
"""
    + _HELP_ID,
    """## Entering legally

Domestic workers go to Hong Kong through a licensed P3MI and sign the Hong Kong government's
**Standard Employment Contract**.

## Main rights

- Wages at least at the **Minimum Allowable Wage** set by the Hong Kong government, plus a food
  allowance when food is not provided.
- One rest day every week and the statutory holidays.
- Employment agencies in Hong Kong **may not charge more than 10 % of your first month's wage**.
- Your employer or agency may not keep your passport.

## Where to get help

- **The Indonesian Consulate General in Hong Kong**.
- Hong Kong Labour Department: **2717 1771**, and its site for domestic helpers,
  fdh.labour.gov.hk.
- In danger: **999**.
"""
    + _HELP_EN,
)

SINGAPORE = _country(
    "SG",
    "hak-pekerja-migran-di-singapura",
    "migrant-worker-rights-in-singapore",
    "Singapura",
    "Singapore",
    "unpaid-wages,wants-to-go-home,violence,sexual-harassment,illness",
    "Ministry of Manpower (MOM) Singapura: Employment of Foreign Manpower Act",
    """## Masuk secara sah

Pekerja rumah tangga dan pekerja lain di Singapura memerlukan **izin kerja** (*Work Permit*) dari
Ministry of Manpower (MOM), diurus pemberi kerja lewat agen berlisensi dan P3MI berizin.

## Hak utama

- Gaji dibayar sesuai kontrak, paling lambat 7 hari setelah akhir bulan gaji.
- Hari libur mingguan; sejak 2023 pekerja rumah tangga berhak atas sedikitnya satu hari libur
  sebulan yang tidak boleh diganti uang.
- Pemberi kerja menanggung asuransi kesehatan dan biaya perawatan Anda.
- Paspor Anda tidak boleh ditahan.

## Di mana minta tolong

- **KBRI Singapura**.
- Ministry of Manpower (MOM): hubungi lewat situs resmi mom.gov.sg.
- Dalam bahaya: polisi **999**.
"""
    + _HELP_ID,
    """## Entering legally

Domestic and other workers in Singapore need a **Work Permit** from the Ministry of Manpower (MOM),
arranged by the employer through a licensed agency and a licensed P3MI.

## Main rights

- Wages paid as the contract says, no later than 7 days after the end of the salary month.
- A weekly rest day; since 2023 domestic workers are entitled to at least one rest day a month that
  cannot be compensated with money.
- The employer pays for your medical insurance and treatment.
- Your passport may not be kept from you.

## Where to get help

- **The Indonesian Embassy in Singapore**.
- The Ministry of Manpower (MOM): contact it through the official site mom.gov.sg.
- In danger: police **999**.
"""
    + _HELP_EN,
)

KOREA = _country(
    "KR",
    "hak-pekerja-migran-di-korea-selatan",
    "migrant-worker-rights-in-south-korea",
    "Korea Selatan",
    "South Korea",
    "job-fraud,unpaid-wages,illness,wants-to-go-home",
    "Employment Permit System (EPS) Korea Selatan, program G to G\nKorea Immigration Service, "
    "layanan 1345",
    """## Masuk secara sah

Penempatan ke Korea Selatan untuk pekerja manufaktur, pertanian, perikanan, dan konstruksi
berjalan melalui **Employment Permit System (EPS)**, program **antarpemerintah (G to G)**. Calon
pekerja mendaftar lewat pemerintah dan lulus ujian bahasa Korea **EPS-TOPIK**. Tidak ada agen
swasta dalam program ini: siapa pun yang menjanjikan kerja ke Korea dengan bayaran adalah penipu.

## Hak utama

- Upah minimum Korea berlaku juga bagi pekerja asing.
- Asuransi kecelakaan kerja dan asuransi kesehatan.
- Pindah tempat kerja dimungkinkan dalam keadaan tertentu, lewat kantor ketenagakerjaan Korea.

## Di mana minta tolong

- **KBRI Seoul**.
- Layanan imigrasi Korea (banyak bahasa): **1345**.
- Dalam bahaya: polisi **112**, ambulans dan pemadam **119**.
"""
    + _HELP_ID,
    """## Entering legally

Placement in South Korea for manufacturing, farming, fishing and construction goes through the
**Employment Permit System (EPS)**, a **government-to-government** programme. Applicants register
through the government and pass the **EPS-TOPIK** Korean language test. There are no private
agents in this programme: anyone promising a job in Korea for money is a fraud.

## Main rights

- Korea's minimum wage applies to foreign workers too.
- Industrial accident insurance and health insurance.
- Changing workplace is possible in certain cases, through Korea's employment centre.

## Where to get help

- **The Indonesian Embassy in Seoul**.
- Korea's immigration contact centre (many languages): **1345**.
- In danger: police **112**, ambulance and fire **119**.
"""
    + _HELP_EN,
)

JAPAN = _country(
    "JP",
    "hak-pekerja-migran-di-jepang",
    "migrant-worker-rights-in-japan",
    "Jepang",
    "Japan",
    "job-fraud,excessive-fees,unpaid-wages,illness",
    "Sistem Specified Skilled Worker (Tokutei Ginou) dan Technical Intern Training (Jepang)\n"
    "Organization for Technical Intern Training (OTIT)",
    """## Masuk secara sah

Ada dua jalur utama: **Pemagangan Teknis** (*Technical Intern Training*), lewat lembaga pengirim
yang terdaftar, dan **Pekerja Berketerampilan Spesifik** (*Specified Skilled Worker*, Tokutei
Ginou), yang mensyaratkan lulus ujian keterampilan dan ujian bahasa Jepang. Jepang sedang
mengganti program pemagangan dengan sistem baru, *Employment for Skill Development*, mulai 2027.

## Hak utama

- Upah minimum prefektur berlaku bagi pemagang dan pekerja.
- Pekerja Tokutei Ginou boleh berganti pemberi kerja dalam bidang yang sama.
- Paspor dan kartu izin tinggal Anda tidak boleh ditahan.
- Biaya yang dipungut lembaga pengirim harus wajar dan tertulis; jeratan utang adalah tanda bahaya.

## Di mana minta tolong

- **KBRI Tokyo** dan **KJRI Osaka**.
- Pemagang: konsultasi dalam bahasa ibu di **OTIT** (Organization for Technical Intern Training).
- Dalam bahaya: polisi **110**, ambulans **119**.
"""
    + _HELP_ID,
    """## Entering legally

There are two main routes: **Technical Intern Training**, through a registered sending
organisation, and **Specified Skilled Worker** (Tokutei Ginou), which requires passing a skills
test and a Japanese language test. Japan is replacing the intern programme with a new system,
*Employment for Skill Development*, from 2027.

## Main rights

- The prefecture's minimum wage applies to interns and workers.
- Specified Skilled Workers may change employer within the same field.
- Your passport and residence card may not be kept from you.
- Fees charged by the sending organisation must be reasonable and in writing; debt bondage is a red
  flag.

## Where to get help

- **The Indonesian Embassy in Tokyo** and **the Consulate General in Osaka**.
- Interns: advice in your own language at **OTIT** (Organization for Technical Intern Training).
- In danger: police **110**, ambulance **119**.
"""
    + _HELP_EN,
)

COMPLAINT = {
    "topic": "pengaduan",
    "stage": "abroad",
    "country": "",
    "categories": (
        "unpaid-wages,wants-to-go-home,trafficking,violence,sexual-harassment,documents-withheld,"
        "excessive-fees,job-fraud,social-security,death,illness,lost-contact,detention"
    ),
    "sources": (
        "UU No. 18 Tahun 2017\nUU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi\n"
        "Crisis Center KemenP2MI: 0800-1000"
    ),
    "id": {
        "slug": "cara-melapor-dan-memantau-pengaduan",
        "title": "Cara melapor dan memantau pengaduan di portal ini",
        "summary": "Langkah mengisi laporan, menyimpan nomor laporan dan kunci rahasia, serta "
        "bagaimana data Anda dilindungi.",
        "body": """## Siapa boleh melapor

Pekerja migran, calon pekerja migran, keluarga, atau siapa pun yang mengetahui masalah. Anda boleh
melapor **tanpa nama**; bila memberi nama dan nomor telepon, hanya petugas yang menangani yang
dapat melihatnya.

## Langkah melapor

1. Buka menu **Lapor**, pilih jenis masalah, dan ceritakan apa yang terjadi: kapan, di mana,
   siapa majikan atau agennya.
2. Isi daerah asal dan negara tujuan: laporan dikirim ke kantor BP3MI yang membawahi daerah asal
   Anda.
3. Setelah terkirim, Anda mendapat **nomor laporan** dan **kunci rahasia**. Tulis atau foto
   keduanya: kunci hanya ditampilkan sekali.

## Memantau laporan

Buka menu **Lacak**, masukkan nomor laporan dan kunci rahasia untuk melihat status, balasan
petugas, dan menambah pesan atau berkas. Petugas memverifikasi laporan dalam **3 hari kerja**;
laporan darurat (kekerasan, perdagangan orang, kematian, hilang kontak, penahanan) ditangani
segera.

## Data Anda

Data pribadi Anda diproses untuk menangani laporan saja, sesuai UU 27/2022 tentang Pelindungan
Data Pribadi. Portal tidak menyimpan alamat IP atau perangkat bersama laporan.

## Dalam bahaya sekarang?

Jangan menunggu: hubungi Crisis Center **0800-1000** atau KBRI/KJRI terdekat.
""",
    },
    "en": {
        "slug": "how-to-file-and-follow-a-complaint",
        "title": "How to file and follow a complaint on this portal",
        "summary": "How to fill in a report, keep your reference and secret key, and how your "
        "data is protected.",
        "body": """## Who may report

Migrant workers, prospective migrant workers, families, or anyone who knows about a problem. You
may report **anonymously**; if you give your name and phone number, only the staff handling the
report can see them.

## Filing a report

1. Open **Report**, choose the kind of problem and tell what happened: when, where, who the
   employer or agency is.
2. Give your home region and the destination country: the report goes to the BP3MI office covering
   your home region.
3. Once sent, you get a **reference** and a **secret key**. Write both down or take a photo: the
   key is shown only once.

## Following your report

Open **Track** and enter the reference and secret key to see the status and staff replies, and to
add a message or a file. Staff verify reports within **3 working days**; urgent reports (violence,
trafficking, death, lost contact, detention) are handled at once.

## Your data

Your personal data is processed only to handle the report, under Law 27/2022 on Personal Data
Protection. The portal does not store IP addresses or device details with a report.

## In danger now?

Do not wait: call the Crisis Center on **0800-1000** or the nearest Indonesian embassy or consulate.
""",
    },
}

GUIDES = [MALAYSIA, SAUDI, TAIWAN, HONG_KONG, SINGAPORE, KOREA, JAPAN, COMPLAINT]
