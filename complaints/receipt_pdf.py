"""The printable receipt of a staff-recorded complaint: a one-page PDF in Indonesian, made on the
server (fpdf2, no browser print dialog), with the reference, the secret key, how to follow the
report and where to call for help. The key is only in this document and on the screen that made
it; the portal keeps its hash."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from complaints.choices import IntakeChannel

_JAKARTA = ZoneInfo("Asia/Jakarta")


def _latin1(text: str) -> str:
    # The PDF core fonts carry Latin-1: enough for Indonesian; anything else is replaced.
    return str(text).encode("latin-1", "replace").decode("latin-1")


def receipt_pdf(
    *, complaint, access_key: str, track_url: str, hotline: str, contacts: list
) -> bytes:
    # Imported here, not at the top: fpdf2 brings fontTools, about 13 MiB in every web worker
    # that would otherwise hold it for a page staff print a few times a day.
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_title(_latin1(f"Tanda terima pengaduan {complaint.reference}"))
    pdf.set_author("Portal PMI - KemenP2MI")
    pdf.set_creation_date(complaint.created_at)
    pdf.add_page()
    pdf.set_margins(18, 18, 18)
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def line(text: str, *, size: int = 11, style: str = "", height: float = 6) -> None:
        pdf.set_font("Helvetica", style, size)
        pdf.multi_cell(width, height, _latin1(text), new_x="LMARGIN", new_y="NEXT")

    line("Portal Layanan Pekerja Migran Indonesia - KemenP2MI", size=10)
    line("TANDA TERIMA PENGADUAN", size=16, style="B", height=10)
    pdf.ln(2)
    received = complaint.created_at.astimezone(_JAKARTA).strftime("%d-%m-%Y %H:%M WIB")
    channel = {
        IntakeChannel.WALK_IN: "datang langsung",
        IntakeChannel.PHONE: "telepon",
        IntakeChannel.LETTER: "surat",
        IntakeChannel.EMAIL: "e-mail",
        IntakeChannel.WHATSAPP: "WhatsApp",
        IntakeChannel.SMS: "SMS",
        IntakeChannel.SOCIAL_MEDIA: "media sosial",
        IntakeChannel.REFERRAL: "rujukan",
        IntakeChannel.WEB: "formulir web",
    }.get(complaint.channel, complaint.channel)
    line(f"Diterima: {received} ({channel})")
    line(f"Ditangani oleh: {complaint.office.name}")
    pdf.ln(3)
    line("Nomor laporan", size=10)
    line(complaint.reference, size=20, style="B", height=11)
    line("Kunci rahasia", size=10)
    line(access_key, size=20, style="B", height=11)
    pdf.ln(2)
    line(
        "Simpan nomor laporan dan kunci rahasia ini di tempat aman. Kunci hanya tercetak di "
        "sini; petugas tidak dapat melihatnya lagi. Jangan simpan di tempat yang dapat dilihat "
        "majikan atau agen.",
        size=10,
        height=5,
    )
    pdf.ln(3)
    line("Cara mengikuti laporan", size=12, style="B")
    line(f"Buka {track_url} lalu masukkan nomor laporan dan kunci rahasia.", size=10, height=5)
    line(f"Crisis Center KemenP2MI (24 jam, bebas pulsa dari Indonesia): {hotline}", size=10)
    if contacts:
        pdf.ln(3)
        line("Bantuan di negara tujuan", size=12, style="B")
        for contact in contacts:
            parts = [contact.name]
            if contact.phone:
                parts.append(f"Telp. {contact.phone}")
            if contact.whatsapp:
                parts.append(f"WA {contact.whatsapp}")
            line(" - ".join(parts), size=10, style="B", height=5)
            if contact.address:
                line(contact.address, size=9, height=4.5)
            if contact.hours:
                line(f"Jam layanan: {contact.hours}", size=9, height=4.5)
    return bytes(pdf.output())
