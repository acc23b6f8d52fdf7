#!/usr/bin/env python3
"""Reference runs with Xapian for the search evaluation (examples/eval_search.rs).

Indexes a JSON Lines file of articles (title and body, Indonesian stemmer) and answers TREC
topic files with BM25, printing one line per result: SET<TAB>QUERY_ID<TAB>RANK<TAB>DOC_ID.

    python3 scripts/xapian_reference.py ARTICLES.jsonl SET=TOPICS.tsv [SET=TOPICS.tsv ...]

Exits with status 3 and a message on stderr when the xapian module is missing
(Debian/Ubuntu: apt-get install python3-xapian).
"""

import json
import sys

try:
    import xapian
except ImportError:
    sys.stderr.write("xapian is not installed for this python (apt-get install python3-xapian)\n")
    sys.exit(3)

DEPTH = 10


def build(articles_path):
    database = xapian.WritableDatabase("", xapian.DB_BACKEND_INMEMORY)
    generator = xapian.TermGenerator()
    generator.set_stemmer(xapian.Stem("indonesian"))
    generator.set_stemming_strategy(xapian.TermGenerator.STEM_SOME)
    with open(articles_path, encoding="utf-8") as lines:
        for line in lines:
            line = line.strip()
            if not line:
                continue
            record = json.loads(line)
            document = xapian.Document()
            generator.set_document(document)
            generator.index_text(record.get("title") or "")
            generator.increase_termpos()
            generator.index_text(record.get("body") or "")
            document.set_data(record["id"])
            database.add_document(document)
    return database


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    database = build(argv[1])
    parser = xapian.QueryParser()
    parser.set_stemmer(xapian.Stem("indonesian"))
    parser.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
    parser.set_database(database)
    parser.set_default_op(xapian.Query.OP_OR)
    enquire = xapian.Enquire(database)
    enquire.set_weighting_scheme(xapian.BM25Weight())
    out = sys.stdout
    for argument in argv[2:]:
        name, _, path = argument.partition("=")
        with open(path, encoding="utf-8") as topics:
            for line in topics:
                line = line.rstrip("\n")
                if not line or line.startswith("#") or "\t" not in line:
                    continue
                # id<TAB>query, or id<TAB>query<TAB>what counts as relevant
                query_id, text = line.split("\t")[:2]
                try:
                    query = parser.parse_query(text)
                except xapian.QueryParserError:
                    query = parser.parse_query(text, 0)
                enquire.set_query(query)
                for rank, match in enumerate(enquire.get_mset(0, DEPTH), start=1):
                    doc_id = match.document.get_data().decode("utf-8")
                    out.write(f"{name}\t{query_id}\t{rank}\t{doc_id}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
