"""Extracts the rules of some KRDS components from krds-uiux's component.css.

    python3 scripts/krds-components.py component.css OUT.css SELECTOR...

Keeps every top-level rule whose selector names one of SELECTORs (e.g. `#krds-masthead`),
and inside @media / @supports blocks the rules that do, so a page ships the few
components it uses rather than the whole 540 KB file. Prints the images the kept rules
refer to (paths after `img/`), for the caller to copy.
"""
import re
import sys


def blocks(css):
    """Top-level (prelude, body) pairs; comments removed."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    out, i, n = [], 0, len(css)
    while i < n:
        start = css.find("{", i)
        if start < 0:
            break
        prelude = css[i:start].strip()
        depth, j = 1, start + 1
        while depth and j < n:
            depth += {"{": 1, "}": -1}.get(css[j], 0)
            j += 1
        out.append((prelude, css[start + 1 : j - 1]))
        i = j
    return out


def keep(css, wanted):
    kept = []
    for prelude, body in blocks(css):
        if prelude.startswith("@media") or prelude.startswith("@supports"):
            inner = keep(body, wanted)
            if inner:
                kept.append(prelude + " {\n" + inner + "\n}")
        elif any(w in prelude for w in wanted):
            kept.append(prelude + " {" + body + "}")
    return "\n".join(kept)


source, target, wanted = sys.argv[1], sys.argv[2], sys.argv[3:]
text = keep(open(source, encoding="utf-8").read(), wanted)
text = text.replace("url(../../img/img/", "url(../img/")
open(target, "w", encoding="utf-8").write("/* KRDS components: " + ", ".join(wanted) + " (krds-uiux component.css) */\n" + text + "\n")
for image in sorted(set(re.findall(r"url\(\.\./img/([^)]+)\)", text))):
    print(image)
