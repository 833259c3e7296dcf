#!/usr/bin/env python3
"""Checks what a reader of the docs relies on, so that pages cannot rot unnoticed:
- the README stays a front door (at most 12,500 bytes; the detail lives in docs/);
- every relative link in the project's Markdown opens a file, and its #anchor a heading;
- every repository path a page names in backticks (`Sources/…`, `Tests/…`, `scripts/…`)
  exists, so docs/architecture.md's walk through the code follows the code.
Prints every problem, file:line first, and exits 1 if there was any. Run by `make lint`."""
import glob
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
README_LIMIT = 12_500
PAGES = ["README.md", "CONTRIBUTING.md", "config/README.md", "Simulator/README.md"] + sorted(glob.glob("docs/*.md", root_dir=ROOT))
LINK = re.compile(r"\]\(([^)\s]+)\)")
PATH = re.compile(r"`((?:Sources|Tests|Benchmarks|Faults|Simulator|scripts|config|systemd|docs|\.ci)/[^`\s]*)`")


def slug(heading):
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]|\[|\]\([^)]*\)", "", heading.strip()).lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path):
    found, seen, fenced = set(), {}, False
    for line in open(path, encoding="utf-8"):
        if line.startswith("```"):
            fenced = not fenced
        if fenced or not line.startswith("#"):
            continue
        base = slug(line.lstrip("#"))
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def main():
    problems = []
    size = os.path.getsize(os.path.join(ROOT, "README.md"))
    if size > README_LIMIT:
        problems.append(f"README.md: {size} bytes, over {README_LIMIT}: move detail to docs/")
    for page in PAGES:
        full = os.path.join(ROOT, page)
        if not os.path.exists(full):
            problems.append(f"{page}: missing")
            continue
        fenced = False
        for number, line in enumerate(open(full, encoding="utf-8"), 1):
            if line.startswith("```"):
                fenced = not fenced
                continue
            for target in LINK.findall(line):
                if re.match(r"[a-z]+:", target):
                    continue
                file, _, anchor = target.partition("#")
                resolved = os.path.normpath(os.path.join(os.path.dirname(full), file)) if file else full
                if not os.path.exists(resolved):
                    problems.append(f"{page}:{number}: link to {target}: no such file")
                elif anchor and resolved.endswith(".md") and anchor not in anchors(resolved):
                    problems.append(f"{page}:{number}: link to {target}: no heading with that anchor")
            if fenced:
                continue
            for path in PATH.findall(line):
                path = re.sub(r":\d+$", "", path.rstrip(".,;:)"))
                if any(mark in path for mark in "*{}<>…") or "NAME" in path:
                    continue
                if not os.path.exists(os.path.join(ROOT, path)):
                    problems.append(f"{page}:{number}: `{path}`: no such file or folder in the repository")
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"check-docs: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"check-docs: {len(PAGES)} pages, README {size} bytes: links and paths resolve")
    return 0


if __name__ == "__main__":
    sys.exit(main())
