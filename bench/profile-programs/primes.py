"""Primes by trial division and by a sieve: trial division's inner test is hot."""


def is_prime(n):
    if n < 2:
        return False
    d = 2
    while d * d <= n:
        if n % d == 0:
            return False
        d += 1
    return True


def trial(limit):
    return sum(1 for n in range(limit) if is_prime(n))


def sieve(limit):
    flags = [True] * limit
    flags[0] = flags[1] = False
    for i in range(2, int(limit ** 0.5) + 1):
        if flags[i]:
            flags[i * i::i] = [False] * len(range(i * i, limit, i))
    return sum(flags)


def main():
    return trial(6000), sieve(200000)


if __name__ == "__main__":
    main()
