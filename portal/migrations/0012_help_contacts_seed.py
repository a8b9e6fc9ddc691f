"""Seed the help directory with the main destination countries.

Figures as publicly listed by the embassies and consulates (kemlu.go.id mission pages) and the
ministry; none was re-checked from this machine (it has no web access), so every row leaves
`last_checked` empty and says so in its note until the ministry confirms it in the admin.
Numbers the author was not sure of are left empty rather than guessed."""

from django.db import migrations

TO_VERIFY = "Nomor & alamat perlu diverifikasi ke laman resmi kemlu.go.id (to be verified)."

CONTACTS = [
    # country, name, kind, phone, whatsapp, address, hours, sort
    ("", "Crisis Center KemenP2MI", "hotline", "0800-1000", "", "",
     "24 jam; bebas pulsa dari Indonesia", 1),
    ("MY", "KBRI Kuala Lumpur", "embassy", "+60 3 2116 4000", "",
     "233 Jalan Tun Razak, 50400 Kuala Lumpur, Malaysia", "Senin-Jumat 08.00-16.00", 10),
    ("MY", "KJRI Johor Bahru", "consulate", "", "",
     "No. 723 Jalan Ibrahim Sultan, Stulang Laut, 80300 Johor Bahru, Malaysia", "", 20),
    ("MY", "KJRI Kota Kinabalu", "consulate", "", "", "Kota Kinabalu, Sabah, Malaysia", "", 30),
    ("MY", "KJRI Kuching", "consulate", "", "", "Kuching, Sarawak, Malaysia", "", 40),
    ("MY", "KJRI Penang", "consulate", "", "", "George Town, Pulau Pinang, Malaysia", "", 50),
    ("SA", "KBRI Riyadh", "embassy", "+966 11 488 2800", "",
     "Diplomatic Quarter, Riyadh, Arab Saudi", "Minggu-Kamis 08.00-16.00", 10),
    ("SA", "KJRI Jeddah", "consulate", "", "", "Jeddah, Arab Saudi", "", 20),
    ("TW", "KDEI Taipei", "trade_office", "+886 2 8752 6170", "",
     "6F, No. 550 Ruiguang Road, Neihu District, Taipei 114, Taiwan",
     "Senin-Jumat 09.00-17.00", 10),
    ("HK", "KJRI Hong Kong", "consulate", "+852 2890 4421", "",
     "127-129 Leighton Road, Causeway Bay, Hong Kong", "Senin-Jumat 09.00-17.00", 10),
    ("SG", "KBRI Singapura", "embassy", "+65 6737 7422", "",
     "7 Chatsworth Road, Singapura 249761", "Senin-Jumat 08.30-17.00", 10),
    ("KR", "KBRI Seoul", "embassy", "+82 2 783 5675", "",
     "380 Yeouidaebang-ro, Yeongdeungpo-gu, Seoul, Korea Selatan", "Senin-Jumat 09.00-17.00", 10),
    ("JP", "KBRI Tokyo", "embassy", "+81 3 3441 4201", "",
     "5-2-9 Higashi-Gotanda, Shinagawa-ku, Tokyo 141-0022, Jepang", "Senin-Jumat 09.00-17.00", 10),
    ("JP", "KJRI Osaka", "consulate", "", "", "Osaka, Jepang", "", 20),
    ("AE", "KBRI Abu Dhabi", "embassy", "", "", "Abu Dhabi, Persatuan Emirat Arab", "", 10),
    ("AE", "KJRI Dubai", "consulate", "", "", "Dubai, Persatuan Emirat Arab", "", 20),
    ("QA", "KBRI Doha", "embassy", "", "", "Doha, Qatar", "", 10),
    ("BN", "KBRI Bandar Seri Begawan", "embassy", "+673 233 0180", "",
     "Lot 4498, Simpang 528, Jalan Muara, Kampung Sungai Hanching, Bandar Seri Begawan, Brunei",
     "Senin-Kamis & Sabtu 08.00-16.00", 10),
]


def seed(apps, schema_editor):
    HelpContact = apps.get_model("portal", "HelpContact")
    for country, name, kind, phone, whatsapp, address, hours, order in CONTACTS:
        HelpContact.objects.update_or_create(
            country=country,
            name=name,
            defaults={
                "kind": kind,
                "phone": phone,
                "whatsapp": whatsapp,
                "address": address,
                "hours": hours,
                "sort_order": order,
                "last_checked": None,
                "note": TO_VERIFY if country else "",
            },
        )


class Migration(migrations.Migration):
    dependencies = [("portal", "0011_help_contacts")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
