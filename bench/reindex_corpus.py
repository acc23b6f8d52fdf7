#!/usr/bin/env python3
"""Corpus for the reindexing benchmark: many small news files, and a way to change some.

    reindex_corpus.py generate DIR COUNT [--seed N]   write COUNT files under DIR
    reindex_corpus.py change DIR PERCENT [--seed N]   rewrite PERCENT% of them

Files are saved HTML pages (with a canonical URL) and plain-text scrapes, half each, in dated
folders (YYYY/MM/DD). Their sentences and titles are recombined from real articles: from
../shared/data/articles/articles.jsonl next to the repository when it is there, otherwise from
the repository's own corpus/. Nothing here copies an article whole; the output is deterministic
for a given seed.
"""

import argparse
import datetime
import html
import json
import os
import random
import re
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED_ARTICLES = os.path.join(REPO, "..", "shared", "data", "articles", "articles.jsonl")


def sentence_pool():
    """Sentences and titles to recombine."""
    sentences, titles = [], []
    splitter = re.compile(r"(?<=[.!?])\s+")
    if os.path.exists(SHARED_ARTICLES):
        with open(SHARED_ARTICLES, encoding="utf-8") as lines:
            for line in lines:
                try:
                    record = json.loads(line)
                except ValueError:
                    continue
                if record.get("title"):
                    titles.append(record["title"].strip())
                for sentence in splitter.split(record.get("body") or ""):
                    sentence = " ".join(sentence.split())
                    if 30 <= len(sentence) <= 300:
                        sentences.append(sentence)
    else:
        corpus = os.path.join(REPO, "corpus")
        for name in sorted(os.listdir(corpus)):
            with open(os.path.join(corpus, name), encoding="utf-8", errors="replace") as text:
                for paragraph in text.read().split("\n"):
                    for sentence in splitter.split(paragraph):
                        sentence = " ".join(sentence.split())
                        if 30 <= len(sentence) <= 300:
                            sentences.append(sentence)
        titles = [" ".join(sentence.split()[:8]) for sentence in sentences]
    if not sentences:
        sys.exit("reindex_corpus.py: no sentences found to build a corpus from")
    return sentences, titles


def relative_path(number):
    day = datetime.date(2016, 1, 1) + datetime.timedelta(days=number % 3650)
    extension = "html" if number % 2 == 0 else "txt"
    return f"{day:%Y/%m/%d}/{number:07d}.{extension}", day


def render(number, rng, sentences, titles, extra=""):
    path, day = relative_path(number)
    title = rng.choice(titles)
    paragraphs = []
    for _ in range(rng.randint(3, 6)):
        paragraphs.append(" ".join(rng.choice(sentences) for _ in range(rng.randint(2, 4))))
    if extra:
        paragraphs.append(extra)
    if path.endswith(".html"):
        url = f"https://arsip.example.id/{day:%Y/%m/%d}/{number}"
        body = "".join(f"<p>{html.escape(paragraph)}</p>" for paragraph in paragraphs)
        text = (
            f"<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)}</title><link rel=\"canonical\" href=\"{url}\">"
            f"<meta property=\"article:published_time\" content=\"{day.isoformat()}T08:00:00+07:00\">"
            f"</head><body><nav>Beranda | Nasional | Ekonomi</nav><article><h1>{html.escape(title)}</h1>"
            f"{body}</article><footer>Hak cipta dilindungi</footer></body></html>\n"
        )
    else:
        dateline = f"JAKARTA, {day.day} {day:%m} {day.year} - "
        text = title + "\n\n" + dateline + "\n\n".join(paragraphs) + "\n"
    return path, text


def generate(directory, count, seed):
    sentences, titles = sentence_pool()
    for number in range(count):
        rng = random.Random(seed * 1_000_003 + number)
        path, text = render(number, rng, sentences, titles)
        target = os.path.join(directory, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w", encoding="utf-8") as out:
            out.write(text)


def change(directory, percent, seed):
    """Rewrites every file whose number falls in the chosen percent, with a correction added."""
    sentences, titles = sentence_pool()
    numbers = []
    for root, _, names in os.walk(directory):
        for name in names:
            stem = name.split(".")[0]
            if stem.isdigit():
                numbers.append(int(stem))
    numbers.sort()
    chooser = random.Random(seed + 17)
    chosen = chooser.sample(numbers, max(1, round(len(numbers) * percent / 100)))
    for number in chosen:
        rng = random.Random(seed * 1_000_003 + number)
        note = "Ralat: " + chooser.choice(sentences)
        path, text = render(number, rng, sentences, titles, extra=note)
        with open(os.path.join(directory, path), "w", encoding="utf-8") as out:
            out.write(text)
    print(len(chosen))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["generate", "change"])
    parser.add_argument("directory")
    parser.add_argument("amount", type=float)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.action == "generate":
        generate(args.directory, int(args.amount), args.seed)
    else:
        change(args.directory, args.amount, args.seed)


if __name__ == "__main__":
    main()
