"""Groups and sorts records; building the records dominates."""


def make(n):
    records = []
    for i in range(n):
        records.append({"id": i, "group": i % 17, "score": (i * 7919) % 1000})
    return records


def group(records):
    groups = {}
    for r in records:
        groups.setdefault(r["group"], []).append(r["score"])
    return groups


def ranked(records):
    return sorted(records, key=lambda r: (r["score"], r["id"]))[:10]


def main():
    records = make(20000)
    g = group(records)
    top = ranked(records)
    return len(g), top[0]["id"]


if __name__ == "__main__":
    main()
