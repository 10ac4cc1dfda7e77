"""QR codes for paper: the petition's sheet, and posters for petitions and appeals."""

import io

import qrcode


def qr_png(url):
    """A QR code of `url` as a PNG in memory."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=2)
    code.add_data(url)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer)
    buffer.seek(0)
    return buffer
