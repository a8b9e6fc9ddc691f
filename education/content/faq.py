"""Starter FAQ entries: (topic slug, country code, (question, answer) in id, and in en)."""
# ruff: noqa: E501  (prose: wrapping reader-facing text mid-sentence would only hurt editing it)

FAQ = [
    (
        "jalur-resmi",
        "",
        (
            "Apakah saya harus membayar untuk bekerja ke luar negeri?",
            "Tidak untuk biaya penempatan: Pasal 30 UU 18/2017 melarang membebankan biaya penempatan "
            "kepada pekerja migran. Untuk sepuluh jabatan, seperti pekerja rumah tangga dan pekerja "
            "perkebunan, biaya seperti tiket, visa, dan paspor ditanggung pemberi kerja (Peraturan "
            "BP2MI 9/2020).",
        ),
        (
            "Do I have to pay to work abroad?",
            "Not for placement costs: Article 30 of Law 18/2017 forbids charging migrant workers "
            "placement costs. For ten jobs, such as domestic and plantation workers, costs like tickets, "
            "visa and passport are paid by the employer (BP2MI Regulation 9/2020).",
        ),
    ),
    (
        "jalur-resmi",
        "",
        (
            "Bagaimana cara tahu sebuah perusahaan penempatan (P3MI) resmi?",
            "P3MI wajib punya izin dari Menteri dan izin perekrutan untuk setiap lowongan. Tanyakan ke "
            "Dinas Tenaga Kerja, LTSA, atau kantor BP3MI di provinsi Anda sebelum membayar atau "
            "menyerahkan dokumen.",
        ),
        (
            "How can I tell whether a placement company (P3MI) is licensed?",
            "A P3MI must hold a licence from the Minister and a recruitment permit for each vacancy. Ask "
            "the manpower office (Disnaker), the LTSA or the BP3MI office in your province before paying "
            "or handing over documents.",
        ),
    ),
    (
        "jalur-resmi",
        "",
        (
            "Apa itu LTSA?",
            "Layanan Terpadu Satu Atap: kantor pelayanan yang dibentuk pemerintah daerah agar pengurusan "
            "dokumen, pemeriksaan, dan informasi bagi calon pekerja migran ada di satu tempat (Pasal 38 "
            "UU 18/2017).",
        ),
        (
            "What is the LTSA?",
            "The one-stop integrated service: an office set up by the local government so that "
            "documents, checks and information for prospective migrant workers are in one place "
            "(Article 38 of Law 18/2017).",
        ),
    ),
    (
        "jalur-resmi",
        "",
        (
            "Berapa usia minimal untuk menjadi pekerja migran?",
            "Paling rendah 18 tahun (Pasal 5 UU 18/2017). Memalsukan umur di dokumen adalah tanda "
            "perekrutan ilegal.",
        ),
        (
            "What is the minimum age to become a migrant worker?",
            "At least 18 years (Article 5 of Law 18/2017). Falsifying your age on documents is a sign of "
            "illegal recruitment.",
        ),
    ),
    (
        "hak-di-negara-tujuan",
        "",
        (
            "Bolehkah majikan atau agen menyimpan paspor saya?",
            "Paspor adalah milik Anda. Di banyak negara tujuan, seperti Malaysia dan Hong Kong, menahan "
            "paspor pekerja melanggar hukum. Bila paspor Anda ditahan, laporkan ke KBRI/KJRI atau lewat "
            "portal ini.",
        ),
        (
            "May my employer or agent keep my passport?",
            "Your passport is yours. In many destination countries, such as Malaysia and Hong Kong, "
            "keeping a worker's passport breaks the law. If your passport is held, report it to the "
            "embassy or consulate or on this portal.",
        ),
    ),
    (
        "jalur-resmi",
        "",
        (
            "Bolehkah saya berangkat bekerja dengan visa turis atau visa umrah?",
            "Tidak. Bekerja dengan visa turis, kunjungan, atau umrah adalah jalur ilegal: Anda tidak "
            "terlindungi perjanjian kerja dan jaminan sosial, dan bisa ditangkap di negara tujuan.",
        ),
        (
            "May I go to work on a tourist or umrah visa?",
            "No. Working on a tourist, visit or umrah visa is an illegal route: you have no employment "
            "contract or social security protecting you, and you can be arrested in the destination "
            "country.",
        ),
    ),
    (
        "pulang-dan-berdaya",
        "",
        (
            "Apa manfaat BPJS Ketenagakerjaan bagi pekerja migran?",
            "Jaminan Kecelakaan Kerja dan Jaminan Kematian melindungi Anda sebelum, selama, dan setelah "
            "bekerja; Jaminan Hari Tua bisa diikuti sebagai tabungan (Permenaker 4/2023). Informasi di "
            "layanan 175.",
        ),
        (
            "What does BPJS Ketenagakerjaan give migrant workers?",
            "Work Accident Insurance and Death Insurance cover you before, during and after work; "
            "Old-Age Savings can be joined as savings (Ministerial Regulation 4/2023). Information on "
            "line 175.",
        ),
    ),
    (
        "pengaduan",
        "",
        (
            "Gaji saya tidak dibayar. Apa yang harus saya lakukan?",
            "Catat bulan yang belum dibayar dan simpan bukti (kontrak, pesan, slip gaji). Laporkan lewat "
            "portal ini dengan jenis masalah gaji tidak dibayar, atau hubungi KBRI/KJRI. Petugas "
            "menghubungi agen dan pemberi kerja.",
        ),
        (
            "My wages have not been paid. What should I do?",
            "Note the unpaid months and keep proof (contract, messages, pay slips). Report it on this "
            "portal under unpaid wages, or contact the embassy or consulate. Staff contact the agency "
            "and the employer.",
        ),
    ),
    (
        "pengaduan",
        "",
        (
            "Nomor berapa yang bisa dihubungi dalam keadaan darurat?",
            "Crisis Center KemenP2MI 0800-1000 (bebas pulsa, 24 jam), polisi 110 di Indonesia, dan SAPA "
            "129 untuk kekerasan terhadap perempuan dan anak. Di luar negeri, hubungi KBRI/KJRI dan "
            "nomor darurat setempat.",
        ),
        (
            "Which numbers can I call in an emergency?",
            "KemenP2MI Crisis Center 0800-1000 (toll-free, 24 hours), police 110 in Indonesia, and SAPA "
            "129 for violence against women and children. Abroad, contact the Indonesian embassy or "
            "consulate and the local emergency number.",
        ),
    ),
    (
        "pengaduan",
        "",
        (
            "Saya ingin pulang sebelum kontrak selesai. Bisakah?",
            "Bisa. Laporkan lewat portal ini dengan jenis masalah ingin pulang, atau datangi KBRI/KJRI. "
            "Siapkan kontrak kerja dan ceritakan alasannya; bila Anda diperlakukan buruk, pemulangan "
            "dibantu pemerintah.",
        ),
        (
            "I want to go home before my contract ends. Can I?",
            "Yes. Report it on this portal under wants to go home, or go to the embassy or consulate. "
            "Have your contract ready and explain why; if you were mistreated, the government helps "
            "bring you home.",
        ),
    ),
    (
        "pengaduan",
        "",
        (
            "Bisakah saya melapor tanpa nama?",
            "Bisa. Laporan tanpa nama tidak menyimpan nama atau kontak sama sekali. Simpan nomor laporan "
            "dan kunci rahasia untuk memantau balasan petugas.",
        ),
        (
            "Can I report anonymously?",
            "Yes. An anonymous report stores no name or contact at all. Keep the reference and secret "
            "key to follow the staff's replies.",
        ),
    ),
    (
        "pengaduan",
        "",
        (
            "Saya lupa kunci rahasia laporan saya. Apa yang bisa saya lakukan?",
            "Kunci rahasia hanya ditampilkan sekali dan tidak bisa dilihat petugas. Buat laporan baru "
            "dan sebutkan nomor laporan lama di ceritanya, atau hubungi Crisis Center 0800-1000.",
        ),
        (
            "I forgot the secret key of my report. What can I do?",
            "The secret key is shown only once and staff cannot see it. File a new report and mention "
            "the old reference in your story, or call the Crisis Center on 0800-1000.",
        ),
    ),
    (
        "pengaduan",
        "",
        (
            "Keluarga kami hilang kontak dengan anggota keluarga di luar negeri. Bagaimana melapor?",
            "Keluarga boleh melapor lewat portal ini dengan jenis masalah hilang kontak. Sertakan nama "
            "lengkap, nomor paspor bila ada, negara, nama majikan atau agen, dan kapan terakhir "
            "berkomunikasi. Laporan ini ditangani sebagai laporan mendesak.",
        ),
        (
            "Our family lost contact with a relative abroad. How do we report it?",
            "Family members may report on this portal under lost contact. Include the full name, the "
            "passport number if known, the country, the employer or agency and when you last spoke. "
            "Such reports are handled as urgent.",
        ),
    ),
    (
        "pengaduan",
        "",
        (
            "Apakah data pribadi saya aman di portal ini?",
            "Data Anda dipakai hanya untuk menangani laporan, sesuai UU 27/2022 tentang Pelindungan Data "
            "Pribadi. Kontak pelapor yang minta dirahasiakan hanya terlihat oleh petugas yang "
            "menangani.",
        ),
        (
            "Is my personal data safe on this portal?",
            "Your data is used only to handle your report, under Law 27/2022 on Personal Data "
            "Protection. A reporter's contact marked confidential is visible only to the staff handling "
            "the report.",
        ),
    ),
    (
        "hak-di-negara-tujuan",
        "KR",
        (
            "Bagaimana cara bekerja di Korea Selatan?",
            "Lewat program antarpemerintah Employment Permit System (EPS): daftar lewat pemerintah dan "
            "lulus ujian EPS-TOPIK. Tidak ada agen swasta; tawaran berbayar ke Korea adalah penipuan.",
        ),
        (
            "How can I work in South Korea?",
            "Through the government-to-government Employment Permit System (EPS): register through the "
            "government and pass the EPS-TOPIK test. There are no private agents; paid offers for Korea "
            "are fraud.",
        ),
    ),
    (
        "hak-di-negara-tujuan",
        "SA",
        (
            "Bolehkah saya bekerja sebagai pekerja rumah tangga di Arab Saudi?",
            "Penempatan pekerja rumah tangga perorangan ke Timur Tengah dihentikan sejak 2015 "
            "(Kepmenaker 260/2015); hanya skema resmi pemerintah yang sah. Tawaran lewat visa umrah "
            "atau ziarah adalah ilegal.",
        ),
        (
            "May I work as a domestic worker in Saudi Arabia?",
            "Placing individual domestic workers in the Middle East has been stopped since 2015 "
            "(Ministerial Decree 260/2015); only the government's official scheme is legal. Offers on an "
            "umrah or visit visa are illegal.",
        ),
    ),
    (
        "hak-di-negara-tujuan",
        "TW",
        (
            "Siapa yang bisa saya hubungi di Taiwan bila ada masalah?",
            "Saluran 1955 dari Kementerian Tenaga Kerja Taiwan: bebas pulsa, 24 jam, dalam Bahasa "
            "Indonesia. Anda juga bisa menghubungi KDEI Taipei.",
        ),
        (
            "Whom can I call in Taiwan when something goes wrong?",
            "The 1955 line of Taiwan's Ministry of Labor: toll-free, 24 hours, in Indonesian. You can "
            "also contact KDEI Taipei.",
        ),
    ),
    (
        "hak-di-negara-tujuan",
        "HK",
        (
            "Berapa biaya agen yang boleh dipungut di Hong Kong?",
            "Agen tenaga kerja di Hong Kong tidak boleh memungut lebih dari 10 % gaji bulan pertama "
            "Anda. Laporkan pungutan lebih ke Labour Department (2717 1771) atau KJRI Hong Kong.",
        ),
        (
            "How much may an agency charge in Hong Kong?",
            "Employment agencies in Hong Kong may not charge more than 10 % of your first month's wage. "
            "Report higher charges to the Labour Department (2717 1771) or the Indonesian Consulate "
            "General.",
        ),
    ),
    (
        "pulang-dan-berdaya",
        "",
        (
            "Bagaimana mengirim uang ke rumah dengan aman?",
            "Lewat bank atau penyelenggara transfer dana berizin Bank Indonesia, ke rekening atas nama "
            "Anda atau keluarga. Jangan titip uang kepada perorangan, dan simpan bukti kiriman.",
        ),
        (
            "How do I send money home safely?",
            "Through a bank or a money-transfer operator licensed by Bank Indonesia, to an account in "
            "your own or your family's name. Do not hand money to individuals, and keep the receipts.",
        ),
    ),
    (
        "pulang-dan-berdaya",
        "",
        (
            "Apa itu Desa Migran Emas?",
            "Program desa yang melayani warganya yang bekerja di luar negeri: informasi migrasi aman, "
            "usaha produktif, pengasuhan anak pekerja migran, dan koperasi. Lihat menu Desa di portal "
            "ini.",
        ),
        (
            "What is Desa Migran Emas?",
            "A village programme serving residents who work abroad: safe-migration information, "
            "productive business, care for migrant workers' children and cooperatives. See the Villages "
            "menu of this portal.",
        ),
    ),
]
