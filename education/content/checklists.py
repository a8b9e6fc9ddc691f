"""Starter checklists: items are (key, text, hint); keys keep a reader's ticks across edits."""

CHECKLISTS = [
    {
        "topic": "jalur-resmi",
        "stage": "before",
        "id": {
            "slug": "daftar-dokumen-sebelum-berangkat",
            "title": "Daftar periksa dokumen sebelum berangkat",
            "intro": "Centang dokumen yang sudah Anda pegang. Dasar: Pasal 13 UU 18/2017.",
            "items": [
                ("ktp-kk", "KTP dan Kartu Keluarga", ""),
                ("akta-ijazah", "Akta kelahiran atau ijazah", ""),
                (
                    "status-kawin",
                    "Surat keterangan status perkawinan",
                    "Bila menikah: fotokopi buku nikah.",
                ),
                (
                    "izin-keluarga",
                    "Surat izin suami/istri, orang tua, atau wali",
                    "Diketahui kepala desa atau lurah.",
                ),
                ("sehat", "Surat keterangan sehat (kesehatan dan psikologi)", ""),
                ("kompetensi", "Sertifikat kompetensi kerja", ""),
                ("paspor", "Paspor", "Tetap Anda simpan sendiri."),
                ("visa", "Visa kerja", "Bukan visa turis atau umrah."),
                ("perjanjian-penempatan", "Perjanjian Penempatan (salinan untuk Anda)", ""),
                ("perjanjian-kerja", "Perjanjian Kerja (salinan untuk Anda)", ""),
                ("bpjs", "Kartu atau nomor BPJS Ketenagakerjaan", ""),
                (
                    "nomor-darurat",
                    "Nomor KBRI/KJRI dan Crisis Center 0800-1000 tersimpan di ponsel",
                    "",
                ),
                ("salinan-keluarga", "Fotokopi semua dokumen ditinggal pada keluarga", ""),
            ],
        },
        "en": {
            "slug": "documents-checklist-before-departure",
            "title": "Documents checklist before departure",
            "intro": "Tick the documents you already hold. Basis: Article 13 of Law 18/2017.",
            "items": [
                ("ktp-kk", "ID card (KTP) and family card (KK)", ""),
                ("akta-ijazah", "Birth certificate or diploma", ""),
                (
                    "status-kawin",
                    "Statement of marital status",
                    "If married: copy of the marriage book.",
                ),
                (
                    "izin-keluarga",
                    "Consent of spouse, parents or guardian",
                    "Acknowledged by the village head or lurah.",
                ),
                ("sehat", "Health certificate (medical and psychological)", ""),
                ("kompetensi", "Work competence certificate", ""),
                ("paspor", "Passport", "Keep it yourself."),
                ("visa", "Work visa", "Not a tourist or umrah visa."),
                ("perjanjian-penempatan", "Placement Agreement (your copy)", ""),
                ("perjanjian-kerja", "Employment Contract (your copy)", ""),
                ("bpjs", "BPJS Ketenagakerjaan card or number", ""),
                (
                    "nomor-darurat",
                    "Embassy/consulate number and Crisis Center 0800-1000 saved in your phone",
                    "",
                ),
                ("salinan-keluarga", "Copies of all documents left with your family", ""),
            ],
        },
    },
    {
        "topic": "pulang-dan-berdaya",
        "stage": "returning",
        "id": {
            "slug": "daftar-persiapan-pulang",
            "title": "Daftar periksa persiapan pulang",
            "intro": "Hal yang perlu beres sebelum dan sesudah pulang ke Indonesia.",
            "items": [
                (
                    "gaji-lunas",
                    "Gaji terakhir, lembur, dan hak lain sudah dibayar",
                    "Minta slip atau bukti transfer.",
                ),
                ("dokumen", "Paspor, perjanjian kerja, dan kartu BPJS Ketenagakerjaan dibawa", ""),
                ("tiket", "Tiket pulang lewat bandara atau pelabuhan resmi", ""),
                ("bukti-kerja", "Surat keterangan kerja atau bukti masa kerja", ""),
                ("rekening", "Tabungan di rekening atas nama sendiri", ""),
                ("klaim-bpjs", "Tahu cara klaim BPJS Ketenagakerjaan bila perlu", "Layanan 175."),
                ("lapor-desa", "Melapor kepulangan ke pemerintah desa", ""),
                (
                    "rencana-usaha",
                    "Rencana kerja atau usaha setelah pulang",
                    "Tanyakan pelatihan di BP3MI atau desa.",
                ),
            ],
        },
        "en": {
            "slug": "preparing-to-return-checklist",
            "title": "Preparing to return checklist",
            "intro": "What to settle before and after coming home to Indonesia.",
            "items": [
                (
                    "gaji-lunas",
                    "Last wages, overtime and other entitlements paid",
                    "Ask for a slip or proof of transfer.",
                ),
                (
                    "dokumen",
                    "Passport, employment contract and BPJS Ketenagakerjaan card packed",
                    "",
                ),
                ("tiket", "Ticket home through an official airport or seaport", ""),
                ("bukti-kerja", "Employment certificate or proof of service", ""),
                ("rekening", "Savings in an account in your own name", ""),
                (
                    "klaim-bpjs",
                    "Know how to claim BPJS Ketenagakerjaan benefits if needed",
                    "Line 175.",
                ),
                ("lapor-desa", "Report your return to the village government", ""),
                (
                    "rencana-usaha",
                    "A plan for work or business after returning",
                    "Ask BP3MI or your village about training.",
                ),
            ],
        },
    },
]
