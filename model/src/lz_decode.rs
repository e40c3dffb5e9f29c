//! The share link's decompressor: lz-string's `decompressFromEncodedURIComponent`,
//! bounded against link bombs (a few hundred characters that would expand
//! to gigabytes): it stops with [`Lz::TooLong`] once the output passes the
//! limit it is given, and with [`Lz::Corrupt`] on anything lz-string could
//! not have written. `share` uses it; the links are written by lz-string
//! itself in the page.

/// lz-string's alphabet for `compressToEncodedURIComponent`: six bits a
/// character (its 65th, `$`, is never written, but lz-string reads it as 64).
pub(crate) const URI_ALPHABET: &[u8] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$";

/// Why decompressing stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lz {
    Corrupt,
    TooLong,
}

/// Reads the bit stream of `decompressFromEncodedURIComponent`, most
/// significant bit of each six-bit character first.
struct Bits<'a> {
    chars: std::slice::Iter<'a, u8>,
    value: u8,
    position: u8,
}

impl Bits<'_> {
    fn bit(&mut self) -> Result<bool, Lz> {
        let set = self.value & self.position != 0;
        self.position >>= 1;
        if self.position == 0 {
            self.position = 1 << 5;
            self.value = self.next_value()?;
        }
        Ok(set)
    }

    fn next_value(&mut self) -> Result<u8, Lz> {
        let c = self.chars.next().ok_or(Lz::Corrupt)?;
        URI_ALPHABET
            .iter()
            .position(|k| k == c)
            .map(|i| i as u8)
            .ok_or(Lz::Corrupt)
    }

    /// `n` bits, least significant first, as lz-string writes codes.
    fn bits(&mut self, n: u8) -> Result<u32, Lz> {
        // Codes wider than the dictionary can ever be mean a damaged stream.
        if n > 31 {
            return Err(Lz::Corrupt);
        }
        let mut value = 0;
        for i in 0..n {
            value |= u32::from(self.bit()?) << i;
        }
        Ok(value)
    }
}

/// A dictionary entry: a literal, or a run of the output so far (every
/// entry but a literal is a previous entry plus the first unit of the one
/// after it, which is where it stands in the output), so the dictionary
/// costs a few bytes an entry however long the entries get.
#[derive(Clone, Copy)]
enum Entry {
    Literal(u16),
    Span { start: usize, len: usize },
}

/// lz-string's decompression of a URI-component string, as lz-str 0.2
/// does it (`None` there is `Corrupt` here), but failing with `TooLong` as
/// soon as the output passes `max_units`.
pub(crate) fn decompress_uri(input: &str, max_units: usize) -> Result<Vec<u16>, Lz> {
    let mut bits = Bits {
        chars: input.as_bytes().iter(),
        value: 0,
        position: 1 << 5,
    };
    if input.is_empty() {
        return Ok(Vec::new());
    }
    bits.value = bits.next_value()?;
    // Codes 0, 1 and 2 are "a literal of 8 bits", "of 16 bits" and "end".
    let mut dictionary = vec![Entry::Literal(0), Entry::Literal(1), Entry::Literal(2)];
    let first = match bits.bits(2)? {
        0 => bits.bits(8)?,
        1 => bits.bits(16)?,
        2 => return Ok(Vec::new()),
        _ => return Err(Lz::Corrupt),
    } as u16;
    dictionary.push(Entry::Literal(first));
    let mut out = vec![first];
    // The previous entry, as a run of `out`.
    let mut w = (0, 1);
    let mut num_bits: u8 = 3;
    let mut enlarge_in: u64 = 4;
    loop {
        let mut code = bits.bits(num_bits)? as usize;
        match code {
            0 | 1 => {
                let literal = bits.bits(if code == 0 { 8 } else { 16 })? as u16;
                dictionary.push(Entry::Literal(literal));
                code = dictionary.len() - 1;
                enlarge_in -= 1;
            }
            2 => return Ok(out),
            _ => {}
        }
        if enlarge_in == 0 {
            enlarge_in = 1 << num_bits;
            num_bits += 1;
        }
        let start = out.len();
        match dictionary.get(code) {
            Some(Entry::Literal(unit)) => out.push(*unit),
            Some(&Entry::Span { start, len }) => out.extend_from_within(start..start + len),
            None if code == dictionary.len() => {
                out.extend_from_within(w.0..w.0 + w.1);
                out.push(out[w.0]);
            }
            None => return Err(Lz::Corrupt),
        }
        if out.len() > max_units {
            return Err(Lz::TooLong);
        }
        // The previous entry plus this one's first unit: contiguous in `out`.
        dictionary.push(Entry::Span {
            start: w.0,
            len: w.1 + 1,
        });
        enlarge_in -= 1;
        w = (start, out.len() - start);
        if enlarge_in == 0 {
            enlarge_in = 1 << num_bits;
            num_bits += 1;
        }
    }
}
