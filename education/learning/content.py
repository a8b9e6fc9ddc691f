"""Starter staff guides, written by the team, in Indonesian (staff work in Indonesian).

Each cites its sources. Loaded by the data migration 0005_staff_guides_seed and refreshed by
education.demo_staff.seed; after the first load, content editors own them in the admin.
"""

from __future__ import annotations

STAFF_GUIDES: list[dict] = [
    {
        "slug": "uu-18-2017-pokok-pelindungan-pmi",
        "position": 10,
        "title": "UU 18/2017: pokok-pokok pelindungan Pekerja Migran Indonesia",
        "summary": (
            "Apa yang dijamin undang-undang bagi PMI sebelum, selama dan setelah bekerja, "
            "syarat dan dokumen, larangan pembebanan biaya, dan peran pemerintah desa."
        ),
        "body_markdown": """\
## Ruang lingkup

UU Nomor 18 Tahun 2017 tentang Pelindungan Pekerja Migran Indonesia menggantikan UU 39/2004.
Pelindungan mencakup tiga tahap: **sebelum bekerja**, **selama bekerja**, dan **setelah bekerja**
(Pasal 7), dan meliputi pelindungan administratif, teknis, hukum, sosial dan ekonomi.

## Syarat menjadi PMI (Pasal 5)

- berusia paling rendah 18 tahun;
- memiliki kompetensi;
- sehat jasmani dan rohani;
- terdaftar dan memiliki nomor kepesertaan jaminan sosial;
- memiliki dokumen lengkap yang dipersyaratkan.

## Dokumen (Pasal 13)

Surat keterangan status perkawinan, surat keterangan izin suami/istri, orang tua atau wali yang
diketahui kepala desa atau lurah, sertifikat kompetensi kerja, surat keterangan sehat hasil
pemeriksaan kesehatan dan psikologi, paspor, visa kerja, Perjanjian Penempatan dan Perjanjian Kerja.
Saat sosialisasi, sebutkan dokumen ini satu per satu: tawaran kerja yang tidak memerlukannya
adalah tanda penempatan nonprosedural.

## Biaya penempatan

PMI **tidak dapat dibebani biaya penempatan** (Pasal 30). Aturan pelaksananya menentukan jabatan
yang dibebaskan dan komponen biaya yang ditanggung pemberi kerja; periksa aturan terbaru sebelum
menjawab pertanyaan tentang biaya.

## Peran pemerintah desa (Pasal 42)

Desa menerima dan memberikan informasi serta permintaan pekerjaan, memverifikasi data dan
mencatat Calon PMI, memfasilitasi persyaratan administrasi kependudukan, memantau keberangkatan
dan kepulangan, serta memberdayakan Calon PMI, PMI dan keluarganya. Inilah dasar kerja sama BP3MI
dengan desa, termasuk Desa Migran Emas.

## Penempatan oleh perseorangan

Orang perseorangan dilarang melaksanakan penempatan PMI (Pasal 69); pelanggarnya diancam pidana
penjara paling lama 10 tahun dan denda paling banyak Rp15 miliar (Pasal 81). Bila pengaduan
menyebut "sponsor" perseorangan, catat nama dan peran yang disebut pelapor, tanpa menuduh.
""",
        "sources": (
            "UU Nomor 18 Tahun 2017 tentang Pelindungan Pekerja Migran Indonesia "
            "(Pasal 5, 7, 13, 30, 42, 69, 81).\n"
            "JDIH BPK: peraturan.bpk.go.id."
        ),
    },
    {
        "slug": "pp-59-2021-pelaksanaan-pelindungan",
        "position": 20,
        "title": "PP 59/2021 dan aturan pelaksana: siapa mengerjakan apa",
        "summary": (
            "Peraturan Pemerintah pelaksana UU 18/2017: tugas pusat, provinsi, kabupaten/kota dan "
            "desa, LTSA, serta tempat aturan turunan yang sering ditanyakan."
        ),
        "body_markdown": """\
## PP 59/2021

Peraturan Pemerintah Nomor 59 Tahun 2021 tentang Pelaksanaan Pelindungan Pekerja Migran Indonesia
merinci pelindungan sebelum, selama dan setelah bekerja yang diatur UU 18/2017, termasuk tugas dan
tanggung jawab Pemerintah Pusat, pemerintah daerah provinsi, kabupaten/kota dan desa.

## Pembagian tugas yang perlu diingat petugas

UU 18/2017 Pasal 39-42 membagi tugas; PP 59/2021 merincinya.

- **Pusat (Kementerian P2MI dan BP3MI sebagai UPT-nya)**: pengaturan dan pengawasan penempatan,
  pelindungan, layanan pengaduan dan penanganan kasus, fasilitasi kepulangan.
- **Provinsi** (Pasal 40): pendidikan dan pelatihan kerja Calon PMI, pengurusan kepulangan dalam
  keadaan tertentu (perang, bencana, wabah, deportasi, PMI bermasalah), pos bantuan di tempat
  pemberangkatan dan pemulangan, dapat membentuk LTSA.
- **Kabupaten/kota** (Pasal 41): menyebarkan informasi dan permintaan PMI secara lengkap dan benar,
  basis data PMI, pelindungan sebelum dan setelah bekerja di daerah, reintegrasi sosial dan ekonomi
  PMI dan keluarganya, pelatihan Calon PMI.
- **Desa** (Pasal 42): informasi lowongan, verifikasi dan pencatatan Calon PMI, pemantauan
  keberangkatan dan kepulangan, pemberdayaan.

## Layanan Terpadu Satu Atap (LTSA)

LTSA menyatukan layanan dokumen penempatan (kependudukan, kesehatan, paspor, jaminan sosial,
verifikasi perjanjian) di daerah. Arahkan Calon PMI ke LTSA terdekat, bukan ke perantara.

## Aturan turunan

Aturan teknis (misalnya jaminan sosial PMI, pembebasan biaya penempatan, penanganan pengaduan di
Sisko P2MI menurut Perban BP2MI 6/2024) berubah lebih sering daripada UU dan PP. Sebelum mengutip
angka atau daftar jabatan, buka teksnya di JDIH kementerian dan catat tanggal versinya.
""",
        "sources": (
            "PP Nomor 59 Tahun 2021 tentang Pelaksanaan Pelindungan Pekerja Migran Indonesia.\n"
            "UU Nomor 18 Tahun 2017, Pasal 38-42.\n"
            "Peraturan BP2MI Nomor 6 Tahun 2024 (penanganan pengaduan di Sisko P2MI)."
        ),
    },
    {
        "slug": "prosedur-pengaduan-portal",
        "position": 30,
        "title": "Prosedur pengaduan di portal ini",
        "summary": (
            "Dari pengaduan masuk sampai ditutup: status, balasan publik dan catatan internal, "
            "pengaduan anonim dan rahasia, duplikat."
        ),
        "body_markdown": """\
## Masuknya pengaduan

Formulir dan API menyalurkan pengaduan ke kantor yang meliputi daerah asal pelapor: P4MI bila ada,
jika tidak BP3MI, jika tidak Kementerian. Pelapor menerima **nomor referensi** (misalnya
PMI-7K3M-9QXR) dan **kunci rahasia** yang hanya ditampilkan sekali. Petugas tidak pernah dapat
melihat kunci itu; jangan memintanya lewat telepon.

## Status

Diterima → Diverifikasi → Diproses → Selesai → Ditutup; atau Ditolak, atau Duplikat. Menunggu
pelapor menghentikan sementara jam SLA. Setiap perubahan tercatat di linimasa.

## Balasan publik dan catatan internal

- **Balasan publik** dibaca pelapor di halaman pelacakan: bahasa sederhana, tanpa singkatan
  internal, tanpa nama petugas lain atau pihak ketiga yang tidak perlu.
- **Catatan internal** hanya untuk petugas: hasil koordinasi, nomor surat, dugaan.

## Anonim dan rahasia

Pengaduan anonim tidak menyimpan nama atau kontak apa pun: jawab lewat halaman pelacakan.
Kontak pengaduan rahasia hanya terlihat oleh petugas yang menangani; setiap tampilan dan unduhan
data pribadi tercatat.

## Duplikat dan penerusan

Tandai duplikat ke pengaduan yang pertama, jangan menghapus. Bila daerah asal salah, teruskan ke
kantor yang benar; tingkat eskalasi mulai lagi dari kantor baru.
""",
        "sources": (
            "Dokumen desain portal, bagian 4.1-4.3 (alur pengaduan, pelacakan, triase).\n"
            "Perpres Nomor 76 Tahun 2013 tentang Pengelolaan Pengaduan Pelayanan Publik.\n"
            "Peraturan BP2MI Nomor 6 Tahun 2024 (penanganan pengaduan di Sisko P2MI)."
        ),
    },
    {
        "slug": "sla-dan-eskalasi",
        "position": 40,
        "title": "Tenggat (SLA) dan eskalasi",
        "summary": (
            "Berapa hari kerja untuk verifikasi, tanggapan pertama dan penyelesaian; kapan jam "
            "berhenti; bagaimana pengaduan naik ke kantor di atas."
        ),
        "body_markdown": """\
## Tenggat baku

- **Verifikasi**: 3 hari kerja sejak diterima (seperti SP4N-LAPOR!).
- **Tanggapan pertama**: 5 hari kerja sejak diverifikasi.
- **Penyelesaian**: menurut kategori (bawaan 14 hari kerja; kategori yang memerlukan kerja
  lapangan 60 hari kerja, batas yang diizinkan Perban BP2MI 6/2024).
- **Mendesak** (kematian, kekerasan, pelecehan seksual, perdagangan orang, penahanan, hilang
  kontak): tanggapan pertama dalam hitungan **jam** (bawaan 4 jam), siang dan malam.

## Hari kerja

Hari kerja adalah Senin-Jumat yang bukan hari libur nasional atau cuti bersama, dihitung dalam
WIB untuk semua kantor. Tenggat yang jatuh pada akhir pekan bergeser ke hari kerja berikutnya.
Status "menunggu pelapor" menghentikan jam; sisa waktu dikembalikan saat pelapor menjawab.

## Eskalasi

Setiap menit sistem memeriksa pengaduan terbuka yang melewati tenggat dan menaikkannya **satu
tingkat**: P4MI → BP3MI → Kementerian. Kantor baru mendapat tenggat dengan masa tenggang
(bawaan 2 hari kerja per tingkat); kantor lama dan baru menerima satu ringkasan e-mail. Setiap
tingkat hanya tercatat sekali. Di puncak tangga, pengaduan tetap di daftar lewat tenggat dan
kantornya diingatkan sekali per hari kerja.

## Yang perlu dilakukan petugas

Verifikasi hari itu juga bila bisa; kirim tanggapan pertama yang nyata (bukan "sedang diproses");
gunakan "menunggu pelapor" hanya bila memang menunggu jawaban pelapor atau dokumen. Angka
eskalasi masuk laporan bulanan kantor dan dasbor kementerian.
""",
        "sources": (
            "Dokumen desain portal, bagian 3 (SlaPolicy) dan 4.4 (SLA dan eskalasi).\n"
            "Peraturan Menteri PANRB Nomor 62 Tahun 2018 tentang Pedoman Sistem Pengelolaan "
            "Pengaduan Pelayanan Publik Nasional (SP4N-LAPOR!).\n"
            "Peraturan BP2MI Nomor 6 Tahun 2024.\n"
            "SKB tiga menteri tentang hari libur nasional dan cuti bersama."
        ),
    },
    {
        "slug": "berbicara-dengan-pmi-dalam-kesulitan",
        "position": 50,
        "title": "Berbicara dengan PMI atau keluarga yang sedang dalam kesulitan",
        "summary": (
            "Pertolongan pertama psikologis untuk petugas: utamakan keselamatan, dengarkan, "
            "jangan berjanji yang tidak bisa ditepati, hubungkan ke layanan yang tepat."
        ),
        "body_markdown": """\
## Keselamatan lebih dulu

Tanyakan di awal: "Apakah Anda aman sekarang? Apakah aman berbicara?" Bila pelapor dalam bahaya,
tandai pengaduan **mendesak** dan hubungkan ke Crisis Center 24 jam serta perwakilan RI (KBRI/KJRI)
setempat. Tanyakan waktu dan cara yang aman untuk menghubungi kembali.

## Lihat, dengar, hubungkan

Panduan Pertolongan Pertama Psikologis WHO memakai tiga langkah:

1. **Lihat**: kenali kebutuhan mendesak (keselamatan, kesehatan, makanan, tempat tinggal).
2. **Dengar**: biarkan orang bercerita dengan kata-katanya sendiri; jangan memotong, jangan
   menyalahkan ("kenapa berangkat lewat calo?"), jangan memaksa bercerita detail kekerasan.
3. **Hubungkan**: ke layanan yang tepat dan jelaskan langkah berikutnya secara konkret.

## Yang dihindari

- Berjanji hasil ("gaji pasti dibayar minggu ini").
- Meminta kunci rahasia pengaduan atau data yang tidak perlu.
- Menyebut nama pelapor kepada majikan atau agensi tanpa persetujuannya.

## Dugaan perdagangan orang atau kekerasan seksual

Tanda-tanda: paspor ditahan, utang yang terus bertambah, dikurung, dijual ke majikan lain.
Catat fakta apa adanya dalam catatan internal, tandai kategori yang sesuai, dan libatkan gugus
tugas TPPO. Korban kekerasan seksual berhak atas pendampingan; jangan mempertemukannya dengan
pelaku.

## Menjaga diri

Percakapan berat meninggalkan bekas. Bicarakan dengan kepala kantor bila perlu jeda atau dukungan.
""",
        "sources": (
            "WHO, War Trauma Foundation dan World Vision International (2011), Psychological First "
            "Aid: Guide for Field Workers.\n"
            "UU Nomor 21 Tahun 2007 tentang Pemberantasan Tindak Pidana Perdagangan Orang.\n"
            "UU Nomor 12 Tahun 2022 tentang Tindak Pidana Kekerasan Seksual.\n"
            "UU Nomor 18 Tahun 2017, pelindungan selama bekerja."
        ),
    },
    {
        "slug": "pelindungan-data-pribadi-uu-27-2022",
        "position": 60,
        "title": "Pelindungan data pribadi (UU 27/2022) dalam pekerjaan sehari-hari",
        "summary": (
            "Data pengaduan adalah data pribadi, sebagian spesifik: dasar pemrosesan, batas "
            "tujuan, hak pelapor, pemberitahuan kegagalan 3 x 24 jam, dan sanksinya."
        ),
        "body_markdown": """\
## Data yang kita pegang

Nama, nomor telepon, nomor paspor, cerita pengaduan dan lampiran adalah data pribadi. Data
kesehatan, biometrik, catatan kejahatan, data anak dan data keuangan pribadi adalah **data pribadi
yang bersifat spesifik** (Pasal 4) dan memerlukan kehati-hatian lebih.

## Prinsip

- **Dasar pemrosesan**: persetujuan pelapor atau pelaksanaan tugas pelayanan publik (Pasal 20).
  Formulir mencatat waktu persetujuan.
- **Batas tujuan**: gunakan data hanya untuk menangani pengaduan itu. Jangan menyalin ke grup
  percakapan pribadi, jangan memotret layar.
- **Seperlunya**: saat berkoordinasi dengan agensi atau perwakilan RI, kirim hanya data yang
  diperlukan.

## Hak pelapor

Pelapor berhak mendapat informasi, mengakses, memperbaiki, meminta penghapusan, dan menarik
persetujuan (Pasal 5-13). Teruskan permintaan semacam itu ke pejabat pelindungan data kantor.

## Kegagalan pelindungan data

Bila data bocor atau salah kirim, laporkan **hari itu juga** kepada kepala kantor: pengendali data
wajib memberi tahu subjek data dan lembaga paling lambat **3 x 24 jam** (Pasal 46).

## Sanksi

Memperoleh, mengungkapkan atau menggunakan data pribadi orang lain secara melawan hukum diancam
pidana penjara sampai 4-5 tahun dan denda sampai Rp4-5 miliar (Pasal 67).

## Di portal ini

Setiap tampilan kontak rahasia, ekspor dan unduhan lampiran tercatat; data pribadi tidak ditulis
ke log; data dihapus setelah masa retensi. Masuk hanya dengan akun sendiri dan faktor kedua.
""",
        "sources": (
            "UU Nomor 27 Tahun 2022 tentang Pelindungan Data Pribadi (Pasal 4, 5-13, 20, 46, 67).\n"
            "Dokumen desain portal, bagian 4.1 dan 6 (DATA_RETENTION_DAYS)."
        ),
    },
]
