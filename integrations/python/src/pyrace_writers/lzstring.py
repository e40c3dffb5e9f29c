"""lz-string's ``compressToEncodedURIComponent``, as pyrace's share links use it.

The playground (the Rust crate ``lz-str``) and the blog script (the npm
package ``lz-string``) compress a state's JSON with this function; a block
built here must give the very same link. The algorithm works on UTF-16 code
units, as JavaScript strings are, so characters outside the Basic
Multilingual Plane (emoji) count as two units here too. (The PyPI package
``lzstring`` walks Python code points instead and writes a different link
for such text, which is why this module exists.)
"""

KEY_STR_URI_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$"


def _utf16_units(text: str) -> list[str]:
    """The string as JavaScript sees it: one item per UTF-16 code unit."""
    data = text.encode("utf-16-le", "surrogatepass")
    return [chr(data[i] | (data[i + 1] << 8)) for i in range(0, len(data), 2)]


class _BitWriter:
    """Packs values, low bit first, into 6-bit characters of the URI-safe alphabet."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.value = 0
        self.position = 0

    def write(self, bits: int, value: int) -> None:
        for _ in range(bits):
            self.value = (self.value << 1) | (value & 1)
            value >>= 1
            if self.position == 5:
                self.position = 0
                self.out.append(KEY_STR_URI_SAFE[self.value])
                self.value = 0
            else:
                self.position += 1

    def flush(self) -> str:
        # Pads the last character with zero bits, as lz-string does.
        while True:
            self.value <<= 1
            if self.position == 5:
                self.out.append(KEY_STR_URI_SAFE[self.value])
                break
            self.position += 1
        return "".join(self.out)


def compress_to_encoded_uri_component(text: str) -> str:
    """``LZString.compressToEncodedURIComponent(text)``, character for character."""
    dictionary: dict[str, int] = {}
    to_create: set[str] = set()
    w = ""
    enlarge_in = 2
    dict_size = 3
    num_bits = 2
    out = _BitWriter()

    def emit_w() -> None:
        nonlocal enlarge_in, num_bits
        if w in to_create:
            code = ord(w[0])
            out.write(num_bits, 0 if code < 256 else 1)
            out.write(8 if code < 256 else 16, code)
            enlarge_in -= 1
            if enlarge_in == 0:
                enlarge_in = 1 << num_bits
                num_bits += 1
            to_create.discard(w)
        else:
            out.write(num_bits, dictionary[w])
        enlarge_in -= 1
        if enlarge_in == 0:
            enlarge_in = 1 << num_bits
            num_bits += 1

    for c in _utf16_units(text):
        if c not in dictionary:
            dictionary[c] = dict_size
            dict_size += 1
            to_create.add(c)
        wc = w + c
        if wc in dictionary:
            w = wc
        else:
            emit_w()
            dictionary[wc] = dict_size
            dict_size += 1
            w = c
    if w != "":
        emit_w()
    out.write(num_bits, 2)  # end of stream
    return out.flush()
