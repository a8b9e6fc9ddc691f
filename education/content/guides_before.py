"""Starter guides for the stage before departure (Indonesian original and English version)."""
# ruff: noqa: E501  (prose: wrapping reader-facing text mid-sentence would only hurt editing it)

LEGAL_ROUTE = {
    "topic": "jalur-resmi",
    "stage": "before",
    "country": "",
    "categories": "job-fraud,excessive-fees,trafficking,documents-withheld",
    "sources": (
        "UU No. 18 Tahun 2017 tentang Pelindungan Pekerja Migran Indonesia (Pasal 5, 13, 38, 42, "
        "49)\nUU No. 21 Tahun 2007 tentang Pemberantasan Tindak Pidana Perdagangan Orang\n"
        "Crisis Center KemenP2MI: 0800-1000 (bebas pulsa)"
    ),
    "id": {
        "slug": "jalur-resmi-bekerja-ke-luar-negeri",
        "title": "Jalur resmi bekerja ke luar negeri",
        "summary": "Syarat, langkah, dan siapa yang boleh menempatkan Anda menurut UU 18/2017, "
        "dengan bahasa sederhana.",
        "body": """## Mengapa harus jalur resmi

Undang-Undang Nomor 18 Tahun 2017 tentang Pelindungan Pekerja Migran Indonesia (UU 18/2017)
melindungi Anda **sebelum bekerja, selama bekerja, dan setelah bekerja**. Pelindungan itu hanya
berjalan penuh bila Anda berangkat lewat jalur resmi: data Anda tercatat, perjanjian kerja Anda
diperiksa, dan Anda terdaftar dalam jaminan sosial. Sebagian besar pekerja yang mengalami masalah
berangkat di luar prosedur.

## Syarat menjadi Pekerja Migran Indonesia

Menurut Pasal 5 UU 18/2017, Anda harus:

- berusia paling rendah 18 tahun;
- memiliki kompetensi (keterampilan) untuk pekerjaan itu;
- sehat jasmani dan rohani;
- terdaftar dan memiliki nomor kepesertaan jaminan sosial (BPJS Ketenagakerjaan);
- memiliki dokumen lengkap yang dipersyaratkan (lihat panduan dokumen).

## Siapa yang boleh menempatkan Anda

Pasal 49 UU 18/2017 hanya mengenal tiga pelaksana penempatan:

1. **Pemerintah** (penempatan antarpemerintah, misalnya program EPS ke Korea Selatan);
2. **Perusahaan Penempatan Pekerja Migran Indonesia (P3MI)** yang memiliki izin dari Menteri;
3. **perusahaan** yang menempatkan pekerjanya sendiri untuk kepentingan perusahaan itu.

Perorangan, "sponsor", atau calo **tidak boleh** merekrut atau menempatkan pekerja migran.

## Langkah-langkahnya

1. Cari informasi lowongan di Dinas Tenaga Kerja kabupaten/kota atau di **LTSA** (Layanan Terpadu
   Satu Atap), bukan dari calo.
2. Pastikan P3MI punya izin dan punya izin perekrutan untuk lowongan itu: tanyakan ke Disnaker,
   LTSA, atau kantor BP3MI di provinsi Anda.
3. Daftar dan ikuti seleksi, pemeriksaan kesehatan dan psikologi di sarana kesehatan yang ditunjuk.
4. Ikuti pelatihan bila diperlukan, lalu Orientasi Pra Pemberangkatan (OPP).
5. Baca dan tanda tangani **Perjanjian Penempatan** dengan P3MI dan **Perjanjian Kerja** dengan
   pemberi kerja. Minta salinannya.
6. Pastikan Anda sudah terdaftar BPJS Ketenagakerjaan dan memegang visa kerja sebelum berangkat.

## LTSA dan peran desa

LTSA adalah layanan satu atap yang dibentuk pemerintah daerah (Pasal 38 UU 18/2017): pengurusan
dokumen, pemeriksaan, dan pengaduan ada di satu tempat. Pemerintah desa menyampaikan informasi
lowongan, memverifikasi data dan mencatat calon pekerja migran, membantu dokumen kependudukan, dan
memantau keberangkatan dan kepulangan (Pasal 42 UU 18/2017). Lapor ke kepala desa sebelum berangkat.

## Butuh bantuan?

Hubungi Crisis Center KemenP2MI **0800-1000** (bebas pulsa) atau kantor BP3MI terdekat.
""",
    },
    "en": {
        "slug": "legal-route-to-work-abroad",
        "title": "The legal route to work abroad",
        "summary": "Requirements, steps and who may place you under Law 18/2017, in plain words.",
        "body": """## Why the legal route matters

Law No. 18 of 2017 on the Protection of Indonesian Migrant Workers (UU 18/2017) protects you
**before, during and after work abroad**. That protection only works fully when you leave through the
legal route: your data is registered, your employment contract is checked and you are enrolled in
social security. Most workers who end up in trouble left outside the procedure.

## Requirements for an Indonesian migrant worker

Under Article 5 of UU 18/2017 you must:

- be at least 18 years old;
- have the competence (skills) for the job;
- be physically and mentally healthy;
- be registered with social security (BPJS Ketenagakerjaan) and have a membership number;
- have all the required documents (see the documents guide).

## Who may place you

Article 49 of UU 18/2017 recognises only three placement channels:

1. **the Government** (government-to-government placement, for example the EPS programme to South
   Korea);
2. **licensed placement companies (P3MI)** holding a licence from the Minister;
3. **a company** placing its own employees for its own business.

Individuals, "sponsors" and brokers (calo) **may not** recruit or place migrant workers.

## The steps

1. Look for vacancies at the regency/city manpower office (Disnaker) or the **LTSA** one-stop service,
   not through a broker.
2. Make sure the P3MI is licensed and holds a recruitment permit for that vacancy: ask Disnaker,
   the LTSA or the BP3MI office in your province.
3. Register and take the selection, the medical and psychological check at an appointed facility.
4. Take training where required, then the Pre-Departure Orientation (OPP).
5. Read and sign the **Placement Agreement** with the P3MI and the **Employment Contract** with the
   employer. Ask for copies.
6. Make sure you are enrolled in BPJS Ketenagakerjaan and hold a work visa before you leave.

## The LTSA and your village

The LTSA is a one-stop service set up by the local government (Article 38 of UU 18/2017): documents,
checks and complaints in one place. The village government passes on vacancy information, verifies
and records prospective migrant workers, helps with civil-registry documents and monitors departures
and returns (Article 42 of UU 18/2017). Tell your village head before you leave.

## Need help?

Call the KemenP2MI Crisis Center on **0800-1000** (toll-free) or the nearest BP3MI office.
""",
    },
}

FEES = {
    "topic": "jalur-resmi",
    "stage": "before",
    "country": "",
    "categories": "excessive-fees,job-fraud",
    "sources": (
        "UU No. 18 Tahun 2017, Pasal 30\nPeraturan BP2MI No. 9 Tahun 2020 tentang Pembebasan "
        "Biaya Penempatan Pekerja Migran Indonesia"
    ),
    "id": {
        "slug": "biaya-penempatan-yang-sah",
        "title": "Biaya penempatan: apa yang sah dan apa yang tidak",
        "summary": "Pekerja migran tidak boleh dibebani biaya penempatan. Kenali biaya yang "
        "ditanggung pemberi kerja dan cara menolak pungutan liar.",
        "body": """## Aturannya

Pasal 30 UU 18/2017 menyatakan: **Pekerja Migran Indonesia tidak dapat dibebani biaya
penempatan.** Peraturan BP2MI Nomor 9 Tahun 2020 merinci pembebasan biaya itu untuk sepuluh jabatan:
pengurus rumah tangga, pengasuh bayi, pengasuh lansia, juru masak, sopir keluarga, perawat taman,
pengasuh anak, petugas kebersihan, pekerja ladang/perkebunan, dan awak kapal perikanan migran.

## Biaya yang ditanggung pemberi kerja

Untuk jabatan-jabatan itu, biaya berikut **bukan** tanggungan Anda: tiket berangkat dan pulang, visa
kerja, legalisasi perjanjian kerja, pelatihan dan sertifikat kompetensi, jasa perusahaan penempatan,
paspor, surat keterangan catatan kepolisian (SKCK), jaminan sosial, pemeriksaan kesehatan dan
psikologi, transportasi lokal dari daerah asal, dan akomodasi.

## Tanda pungutan tidak sah

- Anda diminta membayar tunai kepada perorangan atau "sponsor".
- Tidak ada kuitansi, atau jumlah di kuitansi berbeda dengan yang Anda bayar.
- Gaji Anda di luar negeri akan "dipotong" untuk biaya yang tidak tertulis di perjanjian kerja.
- Anda diminta menandatangani surat utang.

## Yang perlu Anda lakukan

1. Tanyakan di Disnaker atau LTSA biaya apa saja yang berlaku untuk jabatan Anda.
2. Jangan membayar tanpa kuitansi resmi dari perusahaan; simpan semua bukti.
3. Bila ada potongan gaji, harus tertulis di perjanjian kerja yang Anda tanda tangani.
4. Laporkan pungutan berlebih lewat portal ini atau Crisis Center **0800-1000**.
""",
    },
    "en": {
        "slug": "legitimate-placement-fees",
        "title": "Placement fees: what is legitimate and what is not",
        "summary": "Migrant workers may not be charged placement costs. Know which costs the "
        "employer pays and how to refuse illegal charges.",
        "body": """## The rule

Article 30 of UU 18/2017 says: **Indonesian migrant workers may not be charged placement costs.**
BP2MI Regulation No. 9 of 2020 spells out this exemption for ten jobs: housekeeper, baby sitter,
elderly carer, cook, family driver, gardener, child carer, cleaner, farm/plantation worker and
migrant fishing crew.

## Costs the employer pays

For those jobs the following costs are **not** yours: departure and return tickets, work visa,
legalisation of the employment contract, training and competence certificate, the placement
company's fee, passport, police certificate (SKCK), social security, medical and psychological
checks, local transport from your home area and accommodation.

## Signs of an illegal charge

- You are asked to pay cash to an individual or a "sponsor".
- There is no receipt, or the receipt shows a different amount from what you paid.
- Your wages abroad will be "deducted" for costs not written in the employment contract.
- You are asked to sign a debt letter.

## What to do

1. Ask Disnaker or the LTSA which costs apply to your job.
2. Never pay without an official receipt from the company; keep every proof.
3. Any wage deduction must be written in the employment contract you signed.
4. Report overcharging on this portal or to the Crisis Center on **0800-1000**.
""",
    },
}

RED_FLAGS = {
    "topic": "jalur-resmi",
    "stage": "before",
    "country": "",
    "categories": "trafficking,job-fraud,documents-withheld,excessive-fees",
    "sources": (
        "UU No. 21 Tahun 2007 tentang Pemberantasan Tindak Pidana Perdagangan Orang\n"
        "UU No. 18 Tahun 2017\nKepmenaker No. 260 Tahun 2015 (penghentian penempatan PRT ke "
        "negara-negara Timur Tengah)\nSAPA 129 (KemenPPPA), Polisi 110"
    ),
    "id": {
        "slug": "tanda-bahaya-perekrutan-ilegal",
        "title": "Tanda bahaya perekrutan ilegal dan perdagangan orang",
        "summary": "Tawaran kerja yang terlalu mudah sering berakhir dengan gaji tidak dibayar, "
        "paspor ditahan, atau perdagangan orang. Kenali tandanya.",
        "body": """## Tanda bahaya

Hati-hati bila ada yang:

- menawarkan kerja lewat media sosial atau dari mulut ke mulut, tanpa lewat Disnaker atau LTSA;
- bilang tidak perlu pelatihan, tes kesehatan, atau BPJS, dan bisa berangkat "minggu ini";
- meminta Anda berangkat dengan **visa turis, visa kunjungan, atau visa umrah** untuk bekerja;
- mengubah umur atau data Anda di dokumen;
- meminta uang besar di depan, atau bilang biaya akan dipotong dari gaji tanpa perjanjian tertulis;
- menyimpan KTP, paspor, atau ijazah Anda "supaya aman";
- menawarkan kerja sebagai pekerja rumah tangga di negara Timur Tengah di luar skema resmi pemerintah
  (penempatan pekerja rumah tangga ke kawasan itu dihentikan sejak 2015).

## Perdagangan orang

UU 21/2007 menghukum siapa pun yang merekrut, mengangkut, atau menampung orang dengan ancaman, penipuan,
jeratan utang, atau penyalahgunaan posisi rentan untuk dieksploitasi. Korban tidak dihukum karena
berangkat secara tidak resmi; korban berhak atas pelindungan dan pemulihan.

## Yang bisa Anda lakukan

1. Periksa tawaran ke Disnaker, LTSA, atau BP3MI sebelum membayar atau menandatangani apa pun.
2. Jangan serahkan dokumen asli kepada perorangan.
3. Simpan nama, nomor telepon, dan bukti pembayaran perekrut.
4. Laporkan: Crisis Center **0800-1000**, Polisi **110**, atau **SAPA 129** untuk perempuan dan anak.
   Anda juga bisa melapor lewat portal ini, tanpa nama bila perlu.
""",
    },
    "en": {
        "slug": "red-flags-of-illegal-recruitment",
        "title": "Red flags of illegal recruitment and trafficking",
        "summary": "Job offers that look too easy often end with unpaid wages, a confiscated "
        "passport or trafficking. Learn the signs.",
        "body": """## Red flags

Be careful when someone:

- offers a job through social media or word of mouth, not through Disnaker or the LTSA;
- says you need no training, no medical check and no BPJS, and can leave "this week";
- asks you to travel on a **tourist, visit or umrah visa** to work;
- changes your age or details on documents;
- asks for a large payment up front, or says costs will be deducted from wages without a written
  agreement;
- keeps your ID card, passport or diploma "for safe keeping";
- offers domestic work in a Middle Eastern country outside the government's official scheme
  (placing domestic workers in that region has been stopped since 2015).

## Trafficking in persons

Law 21/2007 punishes anyone who recruits, transports or harbours people by threat, deception, debt
bondage or abuse of a vulnerable position in order to exploit them. Victims are not punished for
having left irregularly; they have a right to protection and recovery.

## What you can do

1. Check any offer with Disnaker, the LTSA or BP3MI before paying or signing anything.
2. Never hand original documents to an individual.
3. Keep the recruiter's name, phone number and proof of payment.
4. Report: Crisis Center **0800-1000**, Police **110**, or **SAPA 129** for women and children.
   You can also report on this portal, anonymously if needed.
""",
    },
}

DOCUMENTS = {
    "topic": "jalur-resmi",
    "stage": "before",
    "country": "",
    "categories": "documents-withheld",
    "sources": "UU No. 18 Tahun 2017, Pasal 13",
    "id": {
        "slug": "dokumen-wajib-sebelum-berangkat",
        "title": "Dokumen wajib sebelum berangkat",
        "summary": "Delapan dokumen yang diminta UU 18/2017, dan cara menjaganya agar tidak "
        "hilang atau ditahan orang lain.",
        "body": """## Dokumen menurut Pasal 13 UU 18/2017

1. Surat keterangan status perkawinan; bila sudah menikah, lampirkan fotokopi buku nikah.
2. Surat keterangan izin suami atau istri, orang tua, atau wali, yang diketahui kepala desa atau
   lurah.
3. Sertifikat kompetensi kerja.
4. Surat keterangan sehat dari pemeriksaan kesehatan dan psikologi.
5. Paspor dari kantor imigrasi.
6. Visa kerja.
7. Perjanjian Penempatan Pekerja Migran Indonesia.
8. Perjanjian Kerja.

Untuk mengurusnya Anda juga memerlukan KTP, Kartu Keluarga, dan akta kelahiran atau ijazah.

## Menjaga dokumen

- **Paspor adalah milik Anda.** Jangan biarkan agen atau majikan menyimpannya.
- Foto semua dokumen dan simpan di ponsel dan di surel Anda; tinggalkan fotokopinya pada keluarga.
- Catat nomor paspor, nomor BPJS Ketenagakerjaan, dan alamat kantor perwakilan RI (KBRI/KJRI) di
  negara tujuan.
- Bila dokumen ditahan, laporkan lewat portal ini atau ke KBRI/KJRI terdekat.

Gunakan daftar periksa dokumen di portal ini untuk mencentang yang sudah siap.
""",
    },
    "en": {
        "slug": "required-documents-before-departure",
        "title": "Required documents before departure",
        "summary": "The eight documents required by Law 18/2017, and how to keep them from being "
        "lost or held by someone else.",
        "body": """## Documents under Article 13 of UU 18/2017

1. A statement of marital status; if married, a copy of the marriage book.
2. A letter of consent from your spouse, parents or guardian, acknowledged by the village head or
   lurah.
3. A work competence certificate.
4. A health certificate from the medical and psychological check.
5. A passport from the immigration office.
6. A work visa.
7. The Placement Agreement.
8. The Employment Contract.

To obtain them you also need your ID card (KTP), family card (KK) and a birth certificate or
diploma.

## Keeping your documents safe

- **Your passport belongs to you.** Do not let an agent or employer keep it.
- Photograph every document and keep the photos on your phone and in your e-mail; leave copies
  with your family.
- Write down your passport number, BPJS Ketenagakerjaan number and the address of the Indonesian
  embassy or consulate (KBRI/KJRI) in the destination country.
- If your documents are held, report it on this portal or to the nearest KBRI/KJRI.

Use the documents checklist on this portal to tick off what is ready.
""",
    },
}

GUIDES = [LEGAL_ROUTE, FEES, RED_FLAGS, DOCUMENTS]
