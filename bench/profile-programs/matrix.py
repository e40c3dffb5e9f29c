"""Matrix product on nested lists: the innermost accumulation is hot."""


def identity_like(n):
    return [[(i * j) % 7 for j in range(n)] for i in range(n)]


def product(a, b):
    n = len(a)
    out = [[0] * n for _ in range(n)]
    for i in range(n):
        for j in range(n):
            total = 0
            for k in range(n):
                total += a[i][k] * b[k][j]
            out[i][j] = total
    return out


def trace(m):
    return sum(m[i][i] for i in range(len(m)))


def main():
    a = identity_like(28)
    b = identity_like(28)
    return trace(product(a, b))


if __name__ == "__main__":
    main()
