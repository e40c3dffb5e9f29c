"""Short lines and calls that the tracer's hooks outweigh: the squares of
a generator expression, a call that adds one. Nearly all the work is the
first call in the loop."""


def heavy(n):
    return sum(i * i for i in range(n))


def light(n):
    return n + 1


def main():
    total = 0
    for k in range(150):
        total += heavy(400)
        total += light(k)
    return total


if __name__ == "__main__":
    main()
