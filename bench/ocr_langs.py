"""Which Tesseract languages to use by default: chi_sim vs chi_sim+eng on the scanned samples.

For every scanned page in sample_docs/truth.json: seconds per page and how well the expected phrases
were read (mean rapidfuzz partial_ratio of each phrase against the page, after width folding and
removing spaces). Usage: python bench/ocr_langs.py
"""

from __future__ import annotations

import json
import os
import re
import time

import pypdfium2 as pdfium
import pytesseract
from PIL import Image, ImageSequence
from rapidfuzz import fuzz

from archiver.textnorm import normalise
from common import OUT, ROOT

os.environ["OMP_THREAD_LIMIT"] = "1"


def pages_of(path):
    if path.suffix == ".pdf":
        doc = pdfium.PdfDocument(str(path))
        for page in doc:
            yield page.render(scale=300 / 72).to_pil()
    else:
        with Image.open(path) as img:
            for frame in ImageSequence.Iterator(img):
                yield frame.copy()


def squash(s: str) -> str:
    return re.sub(r"\s+", "", normalise(s))


def main() -> None:
    truth = json.loads((ROOT / "sample_docs" / "truth.json").read_text(encoding="utf-8"))["documents"]
    result = {}
    for lang in ("chi_sim", "chi_sim+eng"):
        seconds, scores, n = 0.0, [], 0
        for doc in truth:
            if not doc["scanned"] or doc.get("rotated"):
                continue
            for number, page in enumerate(pages_of(ROOT / "sample_docs" / "files" / doc["file"]), 1):
                start = time.perf_counter()
                text = pytesseract.image_to_string(page.convert("L"), lang=lang)
                seconds += time.perf_counter() - start
                n += 1
                for snippet in doc["snippets"].get(str(number), []):
                    scores.append(fuzz.partial_ratio(squash(snippet), squash(text)))
        result[lang] = {
            "pages": n,
            "seconds_per_page": round(seconds / n, 2),
            "phrase_score": round(sum(scores) / len(scores), 1),
            "phrases_exact": sum(1 for s in scores if s == 100),
            "phrases": len(scores),
        }
        print(lang, result[lang], flush=True)
    (OUT / "ocr_langs.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
