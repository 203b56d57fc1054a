"""Reads tawsim's exports with the tools that consume them, and fails loudly where they disagree.

Run by tests/interop.rs with the pinned venv of .ci/run (tests/interop/requirements.txt):

    python check_exports.py --jsonl F.jsonl --conll F.conll --bioes F.conll --hf DIR

- JSONL: every line's tokens rebuild its text as a spaCy Doc (words + spaces), and every span is
  a valid strict ``Doc.char_span`` whose text is the text at its offsets; the non-overlapping
  spans also become ``doc.ents``.
- CoNLL (IOB2) and BIOES: seqeval reads the tags in strict mode for their scheme, and scoring the
  file against itself gives F1 = 1.0.
- Hugging Face: ``datasets`` loads the JSONL with the label sidecar as a ClassLabel feature, and
  every row has as many tags as tokens.

Prints one summary line per format, and exits 1 with the first disagreement otherwise.
"""

import argparse
import json
import os
import sys

os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


class Disagreement(Exception):
    """An export that a consuming tool reads differently than tawsim meant."""


def check_jsonl(path):
    import spacy
    from spacy.tokens import Doc
    from spacy.util import filter_spans

    nlp = spacy.blank("ar")
    documents = spans = 0
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            where = f"{path}:{number}"
            record = json.loads(line)
            for key in ("id", "text", "spans", "meta"):
                if key not in record:
                    raise Disagreement(f"{where}: no {key!r} key")
            text = record["text"]
            tokens = record["tokens"]
            doc = Doc(nlp.vocab, words=[t["text"] for t in tokens], spaces=[t["ws"] for t in tokens])
            if doc.text != text:
                raise Disagreement(f"{where}: the tokens rebuild {doc.text[:60]!r}…, not the text")
            for token, spacy_token in zip(tokens, doc):
                if (token["start"], token["end"]) != (spacy_token.idx, spacy_token.idx + len(spacy_token.text)):
                    raise Disagreement(f"{where}: token {token} is at {spacy_token.idx} in spaCy")
            made = []
            for span in record["spans"]:
                start, end, label = span["start"], span["end"], span["label"]
                char_span = doc.char_span(start, end, label=label)
                if char_span is None:
                    raise Disagreement(f"{where}: {start}..{end} {label} is not a char_span of the Doc")
                if char_span.text != text[start:end]:
                    raise Disagreement(f"{where}: {start}..{end} reads {char_span.text!r}, the text has {text[start:end]!r}")
                if "text" in span and span["text"] != text[start:end]:
                    raise Disagreement(f"{where}: span text {span['text']!r} is not {text[start:end]!r}")
                if (char_span.start, char_span.end - 1) != (span["token_start"], span["token_end"]):
                    raise Disagreement(f"{where}: {start}..{end} covers tokens {char_span.start}..{char_span.end - 1}, not {span['token_start']}..{span['token_end']}")
                made.append(char_span)
            doc.ents = filter_spans(made)
            documents += 1
            spans += len(made)
    print(f"spaCy {spacy.__version__}: {documents} documents, {spans} spans, every one a char_span with its text")
    if documents == 0:
        raise Disagreement(f"{path}: no documents")


def read_conll(path):
    """Sentences of tags, as the CoNLL readers of training tools take them."""
    sentences, current = [], []
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            line = line.rstrip("\n")
            if line.startswith("-DOCSTART-"):
                continue
            if not line.strip():
                if current:
                    sentences.append(current)
                    current = []
                continue
            columns = line.split(" ")
            if len(columns) != 2 or not columns[0]:
                raise Disagreement(f"{path}:{number}: expected 'token LABEL', found {line!r}")
            current.append(columns[1])
    if current:
        sentences.append(current)
    return sentences


def check_conll(path, scheme_name):
    from seqeval.metrics import f1_score
    from seqeval.scheme import IOB2, IOBES, Entities
    from seqeval.metrics.sequence_labeling import get_entities

    scheme = {"IOB2": IOB2, "IOBES": IOBES}[scheme_name]
    tags = read_conll(path)
    if not tags:
        raise Disagreement(f"{path}: no sentences")
    # Strict reading drops entities whose tags break the scheme (an I- with no B-), where the
    # lenient reading keeps them: the two agree only on a well-formed file.
    entities = sum(len(get_entities(sentence)) for sentence in tags)
    strict = sum(len(sentence) for sentence in Entities(tags, scheme).entities)
    if strict != entities:
        raise Disagreement(f"{path}: {entities - strict} entities break the {scheme_name} scheme")
    f1 = f1_score(tags, tags, mode="strict", scheme=scheme)
    if f1 != 1.0:
        raise Disagreement(f"{path}: seqeval scores the file against itself at F1 = {f1}")
    print(f"seqeval ({scheme_name}, strict): {len(tags)} sentences, {entities} entities, F1 against itself = {f1}")


def check_hf(folder):
    from datasets import ClassLabel, Features, Sequence, Value, load_dataset

    with open(os.path.join(folder, "labels.json"), encoding="utf-8") as sidecar:
        names = json.load(sidecar)
    if names[0] != "O":
        raise Disagreement(f"{folder}/labels.json: the first tag is {names[0]!r}, not 'O'")
    data = sorted(f for f in os.listdir(folder) if f.endswith(".jsonl"))
    if not data:
        raise Disagreement(f"{folder}: no .jsonl data files")
    features = Features({
        "id": Value("string"),
        "document": Value("string"),
        "tokens": Sequence(Value("string")),
        "ner_tags": Sequence(ClassLabel(names=names)),
    })
    files = {os.path.splitext(f)[0]: os.path.join(folder, f) for f in data}
    dataset = load_dataset("json", data_files=files, features=features)
    rows = 0
    for split, part in dataset.items():
        for row in part:
            if len(row["tokens"]) != len(row["ner_tags"]):
                raise Disagreement(f"{files[split]}: row {row['id']} has {len(row['tokens'])} tokens and {len(row['ner_tags'])} tags")
            rows += 1
    tag_feature = dataset[next(iter(dataset))].features["ner_tags"].feature
    if tag_feature.names != names:
        raise Disagreement(f"{folder}: datasets sees tags {tag_feature.names}")
    print(f"datasets: {rows} rows in {', '.join(dataset.keys())}, {len(names)} tags ({', '.join(names)})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jsonl", action="append", default=[])
    parser.add_argument("--conll", action="append", default=[])
    parser.add_argument("--bioes", action="append", default=[])
    parser.add_argument("--hf", action="append", default=[])
    args = parser.parse_args()
    try:
        for path in args.jsonl:
            check_jsonl(path)
        for path in args.conll:
            check_conll(path, "IOB2")
        for path in args.bioes:
            check_conll(path, "IOBES")
        for folder in args.hf:
            check_hf(folder)
    except Disagreement as disagreement:
        print(f"interop: {disagreement}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
