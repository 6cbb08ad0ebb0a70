#!/usr/bin/python3
"""The yardstick for the triage models: scikit-learn TF-IDF + logistic regression on exactly the same splits.

Reads the splits that `membercare train --export-splits DIR` writes (one CSV per model: text, label, corpus,
split, weight, words), trains one model per task on the train side with the same example weights, and prints,
for every held-out corpus, macro-F1 (averaged over the classes in the corpus's gold labels, as `membercare
evaluate` does), accuracy, accuracy on texts of five words or more, and the throughput of the fitted pipeline
on the test texts (messages/s, one process, one text at a time and in one batch).

    apt-get install -y python3-sklearn
    dotnet run --project src/MemberCare -- train --export-splits /tmp/splits --out /tmp/models
    /usr/bin/python3 bench/triage_baseline.py /tmp/splits [--json out.json] [--ours evaluate.json]

With --ours (the output of `membercare evaluate --json`), it also prints a Markdown table of both side by side.
With --time-texts FILE (a CSV with a text column, as `MemberCare.TriageBench --write-texts FILE` writes it), it also
times the whole triage of those texts, the three fitted models one after another, as the bench times ours: messages
per second of wall time and per CPU-second of this process, in one batch and one text at a time, with latencies.
With --cache DIR, fitted models are kept in DIR under a hash of the splits and of this script, so a second run
(MemberCare.TriageBench runs this script in each of its runs) only loads them. --speed-only skips the held-out scores.
"""
import csv
import hashlib
import json
import os
import pickle
import sys
import time

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, make_pipeline

csv.field_size_limit(sys.maxsize)
TASKS = ("concern", "sentiment", "language")


def read_split(folder, task):
    with open(f"{folder}/{task}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def baseline():
    return make_pipeline(
        FeatureUnion([
            ("words", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)),
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True, max_features=200_000)),
        ]),
        LogisticRegression(C=10.0, max_iter=2000),
    )


def macro_f1(gold, predicted):
    classes = sorted(set(gold))
    scores = []
    for c in classes:
        tp = sum(1 for g, p in zip(gold, predicted) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, predicted) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, predicted) if g == c and p != c)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def print_comparison(ours, theirs):
    print()
    print("| model | held-out corpus | texts | ours | baseline |")
    print("|---|---|---:|---:|---:|")
    for report in ours:
        task, corpus = report["model"], report["corpus"]
        base = theirs.get(task, {}).get("corpora", {}).get(corpus)
        if task == "language":
            ours_value = report.get("fiveWordsOrMoreAccuracy")
            base_value = base and base["fiveWordsOrMoreAccuracy"]
            measure = "accuracy, 5+ words"
            count = report.get("fiveWordsOrMoreCount", report["count"])
        else:
            ours_value = report["macroF1"]
            base_value = base and base["macroF1"]
            measure = "macro-F1"
            count = report["count"]
        if ours_value is None:
            continue
        shown = f"{base_value:.3f}" if base_value is not None else "-"
        print(f"| {task} ({measure}) | {corpus} | {count} | {ours_value:.3f} | {shown} |")


def percentile(sorted_values, p):
    return sorted_values[min(len(sorted_values) - 1, int(p * len(sorted_values)))]


def time_texts(models, path):
    with open(path, encoding="utf-8", newline="") as f:
        texts = [r["text"] for r in csv.DictReader(f)]
    wall, cpu = time.perf_counter(), time.process_time()
    for model in models:
        model.predict(texts)
    batch_wall, batch_cpu = time.perf_counter() - wall, time.process_time() - cpu
    sample = texts[:1000]
    walls, cpus = [], []
    for text in sample:
        wall, cpu = time.perf_counter(), time.thread_time()
        for model in models:
            model.predict([text])
        walls.append(time.perf_counter() - wall)
        cpus.append(time.thread_time() - cpu)
    walls.sort()
    cpus.sort()
    print(f"whole triage (three models) on {len(texts)} bench texts: in one batch {len(texts) / batch_wall:,.0f} messages/s of wall time, "
          f"{len(texts) / batch_cpu:,.0f} per CPU-second; one at a time ({len(sample)} texts) {len(sample) / sum(walls):,.0f} messages/s of wall time, "
          f"{len(sample) / sum(cpus):,.0f} per CPU-second")
    print(f"  one at a time, latency wall p50 {percentile(walls, 0.5) * 1e6:,.0f} / p90 {percentile(walls, 0.9) * 1e6:,.0f} / "
          f"p99 {percentile(walls, 0.99) * 1e6:,.0f} µs, CPU p50 {percentile(cpus, 0.5) * 1e6:,.0f} / p90 {percentile(cpus, 0.9) * 1e6:,.0f} / "
          f"p99 {percentile(cpus, 0.99) * 1e6:,.0f} µs")


def fit(task, train, cache):
    key = None
    if cache:
        digest = hashlib.sha256()
        with open(__file__, "rb") as f:
            digest.update(f.read())
        for r in train:
            digest.update(f"{r['text']}\x01{r['label']}\x01{r['weight']}\x02".encode("utf-8"))
        key = os.path.join(cache, f"{task}-{digest.hexdigest()[:16]}.pickle")
        if os.path.exists(key):
            with open(key, "rb") as f:
                return pickle.load(f), None
    model = baseline()
    started = time.perf_counter()
    model.fit([r["text"] for r in train], [r["label"] for r in train],
              logisticregression__sample_weight=[float(r["weight"]) for r in train])
    seconds = time.perf_counter() - started
    if key:
        os.makedirs(cache, exist_ok=True)
        with open(key + ".tmp", "wb") as f:
            pickle.dump(model, f)
        os.replace(key + ".tmp", key)
    return model, seconds


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "/tmp/splits"
    json_out = sys.argv[sys.argv.index("--json") + 1] if "--json" in sys.argv else None
    cache = sys.argv[sys.argv.index("--cache") + 1] if "--cache" in sys.argv else None
    speed_only = "--speed-only" in sys.argv
    results = {}
    fitted = []
    for task in TASKS:
        rows = read_split(folder, task)
        train = [r for r in rows if r["split"] == "train"]
        test = [r for r in rows if r["split"] == "test"]
        model, fit_seconds = fit(task, train, cache)
        fitted.append(model)
        fitted_how = f"in {fit_seconds:.1f} s" if fit_seconds is not None else "earlier (loaded from the cache)"
        if speed_only:
            print(f"{task}: trained on {len(train)} texts {fitted_how}")
            continue

        texts = [r["text"] for r in test]
        started = time.perf_counter()
        predicted = list(model.predict(texts))
        batch_rate = len(texts) / (time.perf_counter() - started)
        sample = texts[:2000]
        started = time.perf_counter()
        for text in sample:
            model.predict([text])
        single_rate = len(sample) / (time.perf_counter() - started)

        corpora = {}
        for corpus in sorted({r["corpus"] for r in test}):
            pairs = [(r, p) for r, p in zip(test, predicted) if r["corpus"] == corpus]
            gold = [r["label"] for r, _ in pairs]
            pred = [p for _, p in pairs]
            longer = [(r["label"], p) for r, p in pairs if int(r["words"]) >= 5]
            corpora[corpus] = {
                "count": len(pairs),
                "macroF1": round(macro_f1(gold, pred), 4),
                "accuracy": round(sum(g == p for g, p in zip(gold, pred)) / len(pairs), 4),
                "fiveWordsOrMoreAccuracy": round(sum(g == p for g, p in longer) / len(longer), 4) if longer else None,
            }
        results[task] = {
            "trainingSize": len(train),
            "fitSeconds": round(fit_seconds, 1) if fit_seconds is not None else None,
            "messagesPerSecondBatch": round(batch_rate),
            "messagesPerSecondOneByOne": round(single_rate),
            "corpora": corpora,
        }
        print(f"{task}: trained on {len(train)} texts {fitted_how}; "
              f"{batch_rate:,.0f} messages/s in one batch, {single_rate:,.0f} messages/s one at a time")
        for corpus, s in corpora.items():
            five = f", accuracy on 5+ words {s['fiveWordsOrMoreAccuracy']:.3f}" if s["fiveWordsOrMoreAccuracy"] is not None else ""
            print(f"  {corpus}: macro-F1 {s['macroF1']:.3f}, accuracy {s['accuracy']:.3f} on {s['count']} held-out texts{five}")
    if "--time-texts" in sys.argv:
        time_texts(fitted, sys.argv[sys.argv.index("--time-texts") + 1])
    if "--ours" in sys.argv:
        with open(sys.argv[sys.argv.index("--ours") + 1], encoding="utf-8") as f:
            print_comparison(json.load(f), results)
    if json_out:
        with open(json_out, "w", encoding="utf-8") as f:
            json.dump(results, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
