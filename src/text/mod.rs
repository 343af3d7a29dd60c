//! Text foundations shared by every reader and writer: the encoding of a file and strict
//! decoding (`decode`), XML 1.0 character classes, escaping and the segment cleaning every
//! writer applies (`xml`).

pub(crate) mod decode;
pub(crate) mod xml;

/// Appends `n` in decimal (without the allocation of `to_string`).
pub(crate) fn push_decimal(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[i..].iter().map(|&d| char::from(d)));
}

#[cfg(test)]
mod tests {
    #[test]
    fn push_decimal_writes_numbers() {
        for n in [0u64, 7, 10, 99, 1234567890, u64::MAX] {
            let mut s = String::from("x");
            super::push_decimal(&mut s, n);
            assert_eq!(s, format!("x{n}"));
        }
    }
}
