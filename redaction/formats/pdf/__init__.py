"""True removal from PDFs with PyMuPDF (rule 18), one module per question a reader comes with.

- :mod:`.redact`: ``redact_pdf``, the steps in their order;
- :mod:`.reading`: opening a PDF safely, its text as blocks with character boxes;
- :mod:`.units`: the units analysed (text blocks, OCR of scanned pages);
- :mod:`.hidden`: hidden places: layers, annotations, forms, JavaScript, outline, links,
  attachments, metadata;
- :mod:`.removal`: redaction boxes on the exact characters, and their labels;
- :mod:`.page_decisions`: a reviewer's boxes and withheld pages;
- :mod:`.faces`: faces in embedded pictures;
- :mod:`.readback` and :mod:`.findings`: an output read back for the leak check, and what it
  finds removed or located;
- :mod:`.compose`: PDFs we make (an image on a page, PDFs joined).
"""
