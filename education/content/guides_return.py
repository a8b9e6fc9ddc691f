"""Starter guide for coming home: social security claims, remittances, returnee business."""

COMING_HOME = {
    "topic": "pulang-dan-berdaya",
    "stage": "returning",
    "country": "",
    "categories": "social-security,death,illness,wants-to-go-home",
    "sources": (
        "UU No. 18 Tahun 2017 (pelindungan setelah bekerja)\nPermenaker No. 4 Tahun 2023 tentang "
        "Jaminan Sosial Pekerja Migran Indonesia\nBPJS Ketenagakerjaan, layanan 175"
    ),
    "id": {
        "slug": "pulang-klaim-jaminan-sosial-dan-usaha",
        "title": "Pulang ke rumah: klaim jaminan sosial, kiriman uang, dan memulai usaha",
        "summary": "Apa yang perlu diurus sebelum dan sesudah pulang, cara mengajukan klaim BPJS "
        "Ketenagakerjaan, dan dukungan bagi purna pekerja migran.",
        "body": """## Sebelum pulang

- Pastikan gaji terakhir, lembur, dan hak lain sudah dibayar; minta slip atau bukti transfer.
- Bawa paspor, perjanjian kerja, dan kartu BPJS Ketenagakerjaan Anda.
- Pulang lewat bandara atau pelabuhan resmi; petugas BP3MI membantu di titik kedatangan.

## Jaminan sosial

Peserta BPJS Ketenagakerjaan pekerja migran dilindungi sebelum, selama, dan setelah bekerja
(Permenaker 4/2023), antara lain:

- **Jaminan Kecelakaan Kerja (JKK)**: perawatan dan santunan bila kecelakaan atau sakit akibat
  kerja;
- **Jaminan Kematian (JKM)**: santunan bagi ahli waris;
- **Jaminan Hari Tua (JHT)**, bila Anda ikut program ini.

Klaim diajukan di kantor cabang BPJS Ketenagakerjaan, lewat aplikasi resmi BPJS Ketenagakerjaan,
atau dibantu BP3MI. Informasi: layanan BPJS Ketenagakerjaan **175**. Bila klaim ditolak atau
lambat, laporkan lewat portal ini dengan jenis masalah *jaminan sosial*.

## Kiriman uang

Kirim uang lewat bank atau penyelenggara transfer dana yang berizin Bank Indonesia, bukan lewat
perorangan. Simpan bukti kiriman. Buka rekening atas nama Anda sendiri, dan sepakati bersama
keluarga berapa yang ditabung.

## Memulai usaha

Purna pekerja migran bisa mengikuti pelatihan kewirausahaan dari pemerintah dan pemerintah daerah.
Desa Migran Emas membantu warga purna pekerja migran lewat koperasi, pelatihan usaha, dan
pendampingan. Tanyakan kepada kantor BP3MI atau pemerintah desa Anda.

## Bila tiba dalam keadaan sakit atau ada keluarga yang meninggal di luar negeri

Hubungi Crisis Center **0800-1000**. Pemerintah membantu pemulangan, dan ahli waris peserta BPJS
Ketenagakerjaan berhak atas santunan kematian.
""",
    },
    "en": {
        "slug": "coming-home-social-security-and-business",
        "title": "Coming home: social security claims, remittances and starting a business",
        "summary": "What to settle before and after you return, how to claim BPJS "
        "Ketenagakerjaan benefits, and support for returning migrant workers.",
        "body": """## Before you leave for home

- Make sure your last wages, overtime and other entitlements are paid; ask for a slip or proof of
  transfer.
- Take your passport, employment contract and BPJS Ketenagakerjaan card.
- Return through an official airport or seaport; BP3MI staff help at the arrival point.

## Social security

Migrant workers enrolled in BPJS Ketenagakerjaan are covered before, during and after work
(Ministerial Regulation 4/2023), among other things by:

- **Work Accident Insurance (JKK)**: treatment and compensation for accidents or illness caused by
  work;
- **Death Insurance (JKM)**: a benefit for the heirs;
- **Old-Age Savings (JHT)**, if you joined this programme.

Claims are filed at a BPJS Ketenagakerjaan branch office, through the official BPJS
Ketenagakerjaan app, or with help from BP3MI. Information: BPJS Ketenagakerjaan line **175**. If a
claim is refused or slow, report it on this portal under *social security*.

## Sending money home

Send money through a bank or a money-transfer operator licensed by Bank Indonesia, not through
individuals. Keep the receipts. Open an account in your own name, and agree with your family how
much to save.

## Starting a business

Returning migrant workers can join entrepreneurship training by the central and local governments.
Desa Migran Emas villages support returnees with cooperatives, business training and mentoring.
Ask the BP3MI office or your village government.

## If you come home ill, or a family member died abroad

Call the Crisis Center on **0800-1000**. The government helps with repatriation, and the heirs of a
BPJS Ketenagakerjaan member are entitled to the death benefit.
""",
    },
}

GUIDES = [COMING_HOME]
