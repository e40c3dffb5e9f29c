"""Naive recursive Fibonacci beside an iterative one: the recursion is hot."""


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def fib_loop(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def main():
    slow = fib(17)
    fast = [fib_loop(k) for k in range(200)]
    return slow, fast[-1]


if __name__ == "__main__":
    main()
