import io

from pypdf import PdfReader

from lib import pdf


def text_of(data):
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_a_document_is_a4_and_holds_latin_cyrillic_and_kazakh_text():
    document = pdf.new_document(title="Петиция")
    pdf.write(document, "Free Roza Tuletaeva", size=14, bold=True)
    pdf.write(document, "Роза Тулетаева\nҚазақстан: ә ғ қ ң ө ұ ү һ і Ә Ғ Қ Ң Ө Ұ Ү Һ І")
    reader, text = text_of(pdf.to_bytes(document))
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)
    assert "Free Roza Tuletaeva" in text
    assert "Қазақстан: ә ғ қ ң ө ұ ү һ і Ә Ғ Қ Ң Ө Ұ Ү Һ І" in text
    assert reader.metadata.title == "Петиция"


def test_long_text_runs_on_to_more_pages():
    document = pdf.new_document()
    pdf.write(document, "\n".join(f"Line {i} — строка {i}" for i in range(200)))
    reader, text = text_of(pdf.to_bytes(document))
    assert len(reader.pages) > 1
    assert "Line 199 — строка 199" in text


def test_characters_the_font_cannot_draw_are_left_out_instead_of_failing():
    assert pdf.printable("ok ✊🏽 🇫🇷 ok") == "ok   ok"  # no glyphs for these in DejaVu Sans
    document = pdf.new_document()
    pdf.write(document, "Solidarity 🇫🇷✊🏽 end")
    _reader, text = text_of(pdf.to_bytes(document))
    assert "Solidarity" in text and "end" in text
