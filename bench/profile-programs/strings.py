"""Builds text three ways; the quadratic concatenation is the hot line."""


def concat(n):
    s = ""
    for i in range(n):
        s = s + str(i) + ","
    return len(s)


def joined(n):
    return len(",".join(str(i) for i in range(n)))


def formatted(n):
    parts = []
    for i in range(n):
        parts.append(f"{i},")
    return len("".join(parts))


def main():
    a = concat(6000)
    b = joined(6000)
    c = formatted(6000)
    return a + b + c


if __name__ == "__main__":
    main()
