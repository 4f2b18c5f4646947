//! The element kinds of typed arrays (`Int8` … `Float64`) and the conversions between a
//! number and an element's bytes (the spec's ToInt8, ToUint8Clamp, …, either byte order).

use crate::value::to_int32;

/// The element type of a typed array.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ElemKind {
    Int8,
    Uint8,
    Uint8Clamped,
    Int16,
    Uint16,
    Int32,
    Uint32,
    Float32,
    Float64,
}

/// Every element kind, in the order of [`TypedRealm::protos`].
pub const ALL_KINDS: [ElemKind; 9] = [
    ElemKind::Int8,
    ElemKind::Uint8,
    ElemKind::Uint8Clamped,
    ElemKind::Int16,
    ElemKind::Uint16,
    ElemKind::Int32,
    ElemKind::Uint32,
    ElemKind::Float32,
    ElemKind::Float64,
];

impl ElemKind {
    pub fn index(self) -> usize {
        ALL_KINDS.iter().position(|k| *k == self).unwrap_or(0)
    }
    pub fn size(self) -> usize {
        match self {
            ElemKind::Int8 | ElemKind::Uint8 | ElemKind::Uint8Clamped => 1,
            ElemKind::Int16 | ElemKind::Uint16 => 2,
            ElemKind::Int32 | ElemKind::Uint32 | ElemKind::Float32 => 4,
            ElemKind::Float64 => 8,
        }
    }
    /// The constructor's name (`Uint8Array`).
    pub fn name(self) -> &'static str {
        match self {
            ElemKind::Int8 => "Int8Array",
            ElemKind::Uint8 => "Uint8Array",
            ElemKind::Uint8Clamped => "Uint8ClampedArray",
            ElemKind::Int16 => "Int16Array",
            ElemKind::Uint16 => "Uint16Array",
            ElemKind::Int32 => "Int32Array",
            ElemKind::Uint32 => "Uint32Array",
            ElemKind::Float32 => "Float32Array",
            ElemKind::Float64 => "Float64Array",
        }
    }
    /// Integer kinds that `Atomics` accepts (not the clamped one, not the floats).
    pub fn is_atomic(self) -> bool {
        !matches!(
            self,
            ElemKind::Uint8Clamped | ElemKind::Float32 | ElemKind::Float64
        )
    }
    /// The element stored for the number `n` (the spec's ToInt8, ToUint8Clamp, …), encoded.
    pub fn encode(self, n: f64, little: bool) -> ([u8; 8], usize) {
        let mut out = [0u8; 8];
        let size = self.size();
        macro_rules! put {
            ($v:expr) => {{
                let b = if little {
                    $v.to_le_bytes()
                } else {
                    $v.to_be_bytes()
                };
                out[..size].copy_from_slice(&b);
            }};
        }
        match self {
            ElemKind::Int8 => put!(to_int32(n) as i8),
            ElemKind::Uint8 => put!(to_int32(n) as u8),
            ElemKind::Uint8Clamped => put!(clamp_u8(n)),
            ElemKind::Int16 => put!(to_int32(n) as i16),
            ElemKind::Uint16 => put!(to_int32(n) as u16),
            ElemKind::Int32 => put!(to_int32(n)),
            ElemKind::Uint32 => put!(to_int32(n) as u32),
            ElemKind::Float32 => put!(n as f32),
            ElemKind::Float64 => put!(n),
        }
        (out, size)
    }
    /// The number held by the element bytes `b` (at least `size()` of them).
    pub fn decode(self, b: &[u8], little: bool) -> f64 {
        macro_rules! get {
            ($t:ty, $n:expr) => {{
                let mut a = [0u8; $n];
                a.copy_from_slice(&b[..$n]);
                (if little {
                    <$t>::from_le_bytes(a)
                } else {
                    <$t>::from_be_bytes(a)
                }) as f64
            }};
        }
        match self {
            ElemKind::Int8 => b[0] as i8 as f64,
            ElemKind::Uint8 | ElemKind::Uint8Clamped => b[0] as f64,
            ElemKind::Int16 => get!(i16, 2),
            ElemKind::Uint16 => get!(u16, 2),
            ElemKind::Int32 => get!(i32, 4),
            ElemKind::Uint32 => get!(u32, 4),
            ElemKind::Float32 => get!(f32, 4),
            ElemKind::Float64 => get!(f64, 8),
        }
    }
    /// The value an element holds after storing `n` (what a read gives back).
    pub fn coerce(self, n: f64) -> f64 {
        let (b, _) = self.encode(n, true);
        self.decode(&b, true)
    }
}

/// ToUint8Clamp: NaN to 0, clamped to 0..255, ties to even.
fn clamp_u8(n: f64) -> u8 {
    if n.is_nan() || n <= 0.0 {
        return 0;
    }
    if n >= 255.0 {
        return 255;
    }
    let f = n.floor();
    let round_up = f + 0.5 < n || (f + 0.5 == n && f % 2.0 != 0.0);
    let r = if round_up { f + 1.0 } else { f };
    r as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_wrap_and_clamp_like_the_spec() {
        assert_eq!(ElemKind::Uint8.coerce(300.0), 44.0);
        assert_eq!(ElemKind::Int8.coerce(128.0), -128.0);
        assert_eq!(ElemKind::Int8.coerce(-129.0), 127.0);
        assert_eq!(ElemKind::Uint8Clamped.coerce(1.5), 2.0);
        assert_eq!(ElemKind::Uint8Clamped.coerce(2.5), 2.0);
        assert_eq!(ElemKind::Uint8Clamped.coerce(-3.0), 0.0);
        assert_eq!(ElemKind::Uint8Clamped.coerce(f64::NAN), 0.0);
        assert_eq!(ElemKind::Uint16.coerce(-1.0), 65535.0);
        assert_eq!(ElemKind::Uint32.coerce(-1.0), 4294967295.0);
        assert_eq!(ElemKind::Int32.coerce(2147483648.0), -2147483648.0);
        assert_eq!(ElemKind::Float32.coerce(1.1), 1.100000023841858);
        assert!(ElemKind::Float64.coerce(-0.0).is_sign_negative());
    }

    #[test]
    fn endianness_is_respected() {
        let (b, n) = ElemKind::Int16.encode(-2.0, false);
        assert_eq!(&b[..n], &[0xff, 0xfe]);
        assert_eq!(ElemKind::Uint16.decode(&b, true), 65279.0);
    }
}
