#!/usr/bin/env python3
"""Differential check of incremental ingest: random rounds of file changes, with killed runs,
each compared with a fresh build of the same folder.

    scripts/reindex_differential.py [--seed N] [--rounds N] [--binary PATH] [--keep DIR]

Each round changes a few files of a small corpus (HTML pages with and without a canonical URL,
some URLs shared; plain-text scrapes; JSON Lines exports; files with non-UTF-8 names) by adding,
editing, deleting, renaming, moving across folders, copying, changing a page's URL, touching and
back-dating them; sometimes starts an ingest and kills it (SIGKILL) after a random delay; then
runs `newsidx ingest` on the corpus and a fresh `newsidx ingest` of the same folder into a
second index, and compares the two: the set of (id, title, path) of every stored article. The
first difference ends the run with the round's operations and exit 1. Standard library only;
the binary is the release build unless `--binary` names another.
"""

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MARKER = "penandakorpus"
# One file no operation touches: a corpus folder that yields no file at all is taken for an
# unmounted disk and its articles are kept (by design), which a fresh build cannot mirror.
ANCHOR = b"jangkar.txt"
WORDS = ("banjir longsor jalan warga desa petani harga beras pasar menteri gubernur sekolah "
         "guru siswa rumah sakit dokter pasien kereta bandara pesawat listrik air bersih").split()


def sentence(rng):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 14))).capitalize() + "."


def body(rng):
    return " ".join(sentence(rng) for _ in range(rng.randint(3, 6))) + f" {MARKER}."


def page(title, url, rng):
    canonical = f'<link rel="canonical" href="{url}">' if url else ""
    return (f"<!doctype html><html><head><title>{title}</title>{canonical}</head><body>"
            f"<article><h1>{title}</h1><p>JAKARTA - {body(rng)}</p><p>{body(rng)}</p>"
            f"</article></body></html>")


def text(title, rng):
    return f"{title}\n\nJAKARTA - {body(rng)}\n\n{body(rng)}\n"


def jsonl(titles, rng):
    return "".join(json.dumps({"title": t, "body": body(rng), "url": f"https://contoh.id/j/{t.split()[-1]}"}) + "\n"
                   for t in titles)


class Corpus:
    def __init__(self, root, rng):
        self.root, self.rng, self.serial = root, rng, 0
        self.urls = [f"https://berita.contoh.id/{n}" for n in range(6)]

    def files(self):
        found = []
        for folder, _, names in os.walk(os.fsencode(self.root)):
            found.extend(os.path.join(folder, name) for name in names if name != ANCHOR)
        return sorted(found)

    def title(self):
        self.serial += 1
        return f"Judul Berita Nomor {self.serial}"

    def new_path(self):
        folder = os.path.join(os.fsencode(self.root), self.rng.choice([b"a", b"b", b"a/c"]))
        os.makedirs(folder, exist_ok=True)
        kind = self.rng.choice([b".html", b".html", b".txt", b".jsonl"])
        stem = b"f%d" % self.rng.randint(0, 40)
        if self.rng.random() < 0.1:
            stem += self.rng.choice([b"\xff", b"\xfe"])
        return os.path.join(folder, stem + kind)

    def contents(self, path):
        if path.endswith(b".html"):
            url = self.rng.choice(self.urls) if self.rng.random() < 0.6 else None
            return page(self.title(), url, self.rng)
        if path.endswith(b".jsonl"):
            return jsonl([self.title() for _ in range(self.rng.randint(1, 3))], self.rng)
        return text(self.title(), self.rng)

    def write(self, path):
        with open(path, "w", encoding="utf-8") as out:
            out.write(self.contents(path))

    def operation(self):
        files = self.files()
        choices = ["add"] + (["edit", "delete", "rename", "copy", "touch", "old"] if files else [])
        op = self.rng.choice(choices)
        if op == "add":
            path = self.new_path()
            self.write(path)
            return f"add {path!r}"
        path = self.rng.choice(files)
        if op == "edit":
            self.write(path)
        elif op == "delete":
            os.remove(path)
        elif op in ("rename", "copy"):
            target = self.new_path()
            if os.path.splitext(target)[1] != os.path.splitext(path)[1]:
                target = os.path.splitext(target)[0] + os.path.splitext(path)[1]
            if target == path:
                return f"{op} {path!r} onto itself: nothing"
            if op == "rename":
                os.replace(path, target)
            else:
                shutil.copy2(path, target)
            return f"{op} {path!r} -> {target!r}"
        elif op == "touch":
            os.utime(path, None)
        elif op == "old":
            moment = time.time() - self.rng.randint(3600, 10 * 365 * 86400)
            os.utime(path, (moment, moment))
        return f"{op} {path!r}"


def run(binary, index, corpus, extra=()):
    command = [binary, "ingest", "--quiet", "--json", "--index", index, *extra, corpus]
    return subprocess.run(command, capture_output=True, text=True)


def articles(binary, index):
    command = [binary, "search", MARKER, "--all-copies", "--limit", "100000", "--json", "--index", index]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        return [("search failed", done.stderr.strip(), "")]
    hits = json.loads(done.stdout)["hits"]
    # A list, not a set: an article stored twice is a difference too.
    return sorted((hit["id"], hit["title"], hit["path"]) for hit in hits)


def main():
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--seed", type=int, default=1)
    options.add_argument("--rounds", type=int, default=60)
    options.add_argument("--binary", default=os.path.join(ROOT, "target", "release", "newsidx"))
    options.add_argument("--keep", help="work in this folder and keep it")
    args = options.parse_args()
    rng = random.Random(args.seed)
    work = args.keep or tempfile.mkdtemp(prefix="newsidx-differential-")
    os.makedirs(work, exist_ok=True)
    corpus_root = os.path.join(work, "corpus")
    os.makedirs(corpus_root, exist_ok=True)
    live, fresh = os.path.join(work, "live"), os.path.join(work, "fresh")
    corpus = Corpus(corpus_root, rng)
    with open(os.path.join(os.fsencode(corpus_root), ANCHOR), "w", encoding="utf-8") as out:
        out.write(text("Berita Jangkar Korpus", rng))
    kills = 0
    for round_number in range(1, args.rounds + 1):
        done = [corpus.operation() for _ in range(rng.randint(1, 5))]
        if rng.random() < 0.3:
            threads = ["--threads", str(rng.randint(1, 3))]
            child = subprocess.Popen([args.binary, "ingest", "--quiet", "--index", live, *threads, corpus_root],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.0, 0.3))
            if child.poll() is None:
                child.send_signal(signal.SIGKILL)
                kills += 1
            child.wait()
            done.append("killed ingest")
        if rng.random() < 0.3:
            done.extend(corpus.operation() for _ in range(rng.randint(1, 3)))
        result = run(args.binary, live, corpus_root)
        if result.returncode != 0:
            print(f"round {round_number}: ingest failed ({result.returncode}): {result.stderr.strip()}")
            print("\n".join(done))
            return 1
        shutil.rmtree(fresh, ignore_errors=True)
        fresh_result = run(args.binary, fresh, corpus_root)
        if fresh_result.returncode != 0:
            print(f"round {round_number}: fresh build failed: {fresh_result.stderr.strip()}")
            return 1
        ours, theirs = articles(args.binary, live), articles(args.binary, fresh)
        if ours != theirs:
            print(f"round {round_number}: the incremental index differs from a fresh build")
            print("operations:\n  " + "\n  ".join(done))
            print("only incremental:", sorted((Counter(ours) - Counter(theirs)).elements()))
            print("only fresh:", sorted((Counter(theirs) - Counter(ours)).elements()))
            print(f"work folder: {work}")
            return 1
    print(f"seed {args.seed}: {args.rounds} rounds, {kills} killed runs, "
          f"{len(corpus.files())} files and {len(articles(args.binary, live))} articles at the end: "
          f"incremental equals fresh after every round")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
