"""The slips PDF: eight slips per A4 page, every QR code decodes (zbarimg on a 150 dpi
rendering) to the slip's own code link, and the typeable code, the address, the closing date
and the anonymity line are on each slip."""

import re
import subprocess
from datetime import date

import pytest

from assessment import codes
from assessment.reports.slips_pdf import SLIP_H, SLIP_W, slips_pdf, typing_address

BASE = "https://werkbaar.example.be"


def pdf_text(path):
    """The PDF's text in drawing order (slip by slip), every run of whitespace one space."""
    return " ".join(subprocess.run(["pdftotext", "-raw", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout.split())


def decoded(path, tmp_path, pages=2):
    """Every QR code zbarimg finds on the PDF rendered at 150 dpi, one slip at a time (as a
    phone sees one slip; on a whole page zbarimg now and then skips one of eight)."""
    found = []
    width, height = round(SLIP_W / 25.4 * 150), round(SLIP_H / 25.4 * 150)
    for page in range(1, pages + 1):
        for row in range(4):
            for column in range(2):
                stem = tmp_path / f"slip-{page}-{row}-{column}"
                subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", str(page), "-l",
                                str(page), "-x", str(column * width), "-y", str(row * height),
                                "-W", str(width), "-H", str(height), "-singlefile", str(path),
                                str(stem)], check=True)
                found += subprocess.run(["zbarimg", "-q", "--raw", f"{stem}.png"],
                                        capture_output=True, text=True).stdout.split()
    return found


@pytest.fixture
def made(tmp_path):
    slip_codes = [codes.new_code() for _ in range(11)]
    path = tmp_path / "slips.pdf"
    path.write_bytes(slips_pdf(slip_codes, organisation="Woonzorg De Linde vzw",
                               closes_on=date(2026, 12, 18), base_url=BASE, lang="nl"))
    return slip_codes, path


def test_every_qr_code_decodes_to_its_link(made, tmp_path):
    """The survey opens in the slip's language."""
    slip_codes, path = made
    assert sorted(decoded(path, tmp_path)) == sorted(
        f"{BASE}/s/code/{code}?lang=nl" for code in slip_codes)


def test_eight_slips_a_page_with_their_texts(made):
    slip_codes, path = made
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert re.search(r"Pages:\s+2\b", info) and "A4" in info
    text = pdf_text(path)
    for code in slip_codes:
        assert codes.grouped(code) in text
    assert text.count("Woonzorg De Linde vzw") == 11
    assert text.count("werkbaar.example.be en typ") == 11
    assert text.count("18 december 2026") == 11
    assert text.count("kan niet zien wie welk strookje") == 11
    assert "groepen van minstens 5" in text


def test_english_text(tmp_path):
    path = tmp_path / "en.pdf"
    path.write_bytes(slips_pdf(["K7QM4TXP9RWH"], organisation="Acme",
                               closes_on=date(2026, 12, 18), base_url="http://localhost:8501",
                               lang="en"))
    text = pdf_text(path)
    assert "localhost:8501 and type your code" in text and "18 December 2026" in text
    assert "K7QM-4TXP-9RWH" in text


def test_a_long_organisation_name_stays_on_its_slip(tmp_path):
    path = tmp_path / "long.pdf"
    path.write_bytes(slips_pdf(["K7QM4TXP9RWH"], organisation="Vereniging " * 20,
                               closes_on=date(2026, 12, 18), base_url=BASE, lang="nl"))
    name = pdf_text(path).split(" How workable")[0].split(" Hoe werkbaar")[0]
    assert name.endswith("…") and len(name) < 90


def test_typing_address():
    assert typing_address("https://werkbaar.example.be/") == "werkbaar.example.be"
    assert typing_address("https://example.be/werkbaar") == "example.be/werkbaar"
    assert typing_address("werkbaar.example.be") == "werkbaar.example.be"
