//! Stripping metadata from images on ingest: EXIF (with GPS position, device, time), XMP, IPTC, comments,
//! embedded previews and whatever trails the picture can place a witness or an interview. JPEG, PNG and
//! WebP are rewritten keeping only what is needed to show the picture, without re-encoding it: the
//! picture's own bytes are left as they are. The caller keeps the original's hash.

use img_parts::webp::WebP;
use img_parts::{Bytes, ImageEXIF};

/// Largest image clew strips (it is read whole into memory).
pub const STRIP_LIMIT: u64 = 512 << 20;

/// Whether clew strips images of this media type.
pub fn strippable(media_type: &str) -> bool {
    matches!(media_type, "image/jpeg" | "image/png" | "image/webp")
}

/// The image without its metadata, and the names of what was removed (empty when there was none).
pub fn strip(media_type: &str, bytes: Vec<u8>) -> Result<(Vec<u8>, Vec<String>), String> {
    let mut removed = Removed::default();
    let stripped = match media_type {
        "image/jpeg" => strip_jpeg(&bytes, &mut removed)?,
        "image/png" => strip_png(&bytes, &mut removed)?,
        "image/webp" => strip_webp(bytes, &mut removed)?,
        other => return Err(format!("clew cannot strip metadata from {other} (it strips JPEG, PNG and WebP)")),
    };
    Ok((stripped, removed.0))
}

/// What was removed, each kind named once, in the order met.
#[derive(Default)]
struct Removed(Vec<String>);

impl Removed {
    fn note(&mut self, what: &str) {
        if !self.0.iter().any(|r| r == what) {
            self.0.push(what.to_string());
        }
    }
}

/// JPEG: walks every marker segment, the ones between progressive scans included, keeps what decoding needs
/// (frame, tables, scans, restart intervals) and the JFIF header, colour profile and Adobe colour transform;
/// drops every other application segment and comment, and anything after the end of the image (embedded
/// videos, trailers).
fn strip_jpeg(bytes: &[u8], removed: &mut Removed) -> Result<Vec<u8>, String> {
    let bad = |why: &str| format!("not a readable image/jpeg image: {why}");
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return Err(bad("it does not start like a JPEG"));
    }
    let mut out = vec![0xFF, 0xD8];
    let mut at = 2;
    loop {
        if bytes.get(at) != Some(&0xFF) {
            return Err(bad("a marker was expected"));
        }
        while bytes.get(at) == Some(&0xFF) {
            at += 1;
        }
        let marker = *bytes.get(at).ok_or_else(|| bad("it ends before its end marker"))?;
        at += 1;
        match marker {
            0xD9 => {
                out.extend_from_slice(&[0xFF, 0xD9]);
                if at < bytes.len() {
                    removed.note("data after the image");
                }
                return Ok(out);
            }
            0xD0..=0xD7 | 0x01 => {
                out.extend_from_slice(&[0xFF, marker]);
                continue;
            }
            _ => {}
        }
        let length = bytes.get(at..at + 2).map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])));
        let end = length.filter(|l| *l >= 2).map(|l| at + l).filter(|e| *e <= bytes.len());
        let end = end.ok_or_else(|| bad("a segment runs past the end of the file"))?;
        let contents = &bytes[at + 2..end];
        let drop = match marker {
            0xE1 if contents.starts_with(b"Exif\0") => Some("exif"),
            0xE1 => Some("xmp"),
            0xED => Some("iptc"),
            0xFE => Some("comment"),
            0xE2 if contents.starts_with(b"MPF\0") => Some("embedded images"),
            // JFIF (APP0), colour profiles (APP2) and Adobe colour transforms (APP14) are needed to show the
            // picture right; every other application segment is metadata.
            0xE0 | 0xE2 | 0xEE => None,
            0xE3..=0xEF => Some("application data"),
            _ => None,
        };
        match drop {
            Some(what) => removed.note(what),
            None => out.extend_from_slice(&bytes[at - 2..end]),
        }
        at = end;
        if marker == 0xDA {
            // The entropy-coded scan runs to the next marker that is neither a stuffed 0xFF nor a restart.
            let mut next = at;
            while next + 1 < bytes.len() {
                if bytes[next] == 0xFF && !matches!(bytes[next + 1], 0x00 | 0xD0..=0xD7) {
                    break;
                }
                next += 1;
            }
            if next + 1 >= bytes.len() {
                return Err(bad("it ends inside a scan, before its end marker"));
            }
            out.extend_from_slice(&bytes[at..next]);
            at = next;
        }
    }
}

/// PNG: keeps the critical chunks and the ancillary ones that change how the picture looks (transparency,
/// gamma, colour, profile, pixel size, background, animation); drops the rest (EXIF, text, time, and
/// anything unknown) and whatever follows the end chunk.
fn strip_png(bytes: &[u8], removed: &mut Removed) -> Result<Vec<u8>, String> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    const KEPT: [&[u8; 4]; 15] = [
        b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT", b"bKGD", b"pHYs",
        b"acTL", b"fcTL", b"fdAT",
    ];
    let bad = |why: &str| format!("not a readable image/png image: {why}");
    if !bytes.starts_with(SIGNATURE) {
        return Err(bad("it does not start like a PNG"));
    }
    let mut out = SIGNATURE.to_vec();
    let mut at = SIGNATURE.len();
    loop {
        let length = bytes.get(at..at + 4).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize);
        let length = length.ok_or_else(|| bad("it ends before its end chunk"))?;
        let end = at.checked_add(12 + length).filter(|e| *e <= bytes.len());
        let end = end.ok_or_else(|| bad("a chunk runs past the end of the file"))?;
        let kind: [u8; 4] = [bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]];
        if KEPT.contains(&&kind) {
            out.extend_from_slice(&bytes[at..end]);
        } else {
            removed.note(match &kind {
                b"eXIf" => "exif",
                b"tEXt" | b"zTXt" | b"iTXt" => "text",
                b"tIME" => "time",
                _ => "other chunks",
            });
        }
        at = end;
        if &kind == b"IEND" {
            if at < bytes.len() {
                removed.note("data after the image");
            }
            return Ok(out);
        }
    }
}

/// WebP: keeps the picture, alpha, animation and colour profile chunks; drops EXIF, XMP and anything else.
fn strip_webp(bytes: Vec<u8>, removed: &mut Removed) -> Result<Vec<u8>, String> {
    const KEPT: [&[u8; 4]; 7] = [b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF", b"ICCP"];
    let mut webp = WebP::from_bytes(Bytes::from(bytes)).map_err(|e| format!("not a readable image/webp image: {e}"))?;
    if webp.exif().is_some() {
        webp.set_exif(None);
        removed.note("exif");
    }
    webp.chunks_mut().retain(|chunk| {
        let keep = KEPT.contains(&&chunk.id());
        if !keep {
            removed.note(if &chunk.id() == b"XMP " { "xmp" } else { "other chunks" });
        }
        keep
    });
    Ok(webp.encoder().bytes().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    const APP1: u8 = 0xE1;
    const APP2: u8 = 0xE2;
    const APP13: u8 = 0xED;
    const COM: u8 = 0xFE;

    /// A valid 8×8 grey baseline JPEG, built by hand: one block, all coefficients zero.
    fn tiny_jpeg(metadata: &[(u8, &[u8])]) -> Vec<u8> {
        let mut jpeg = vec![0xFF, 0xD8];
        let mut segment = |marker: u8, contents: &[u8]| {
            jpeg.extend_from_slice(&[0xFF, marker]);
            jpeg.extend_from_slice(&((contents.len() + 2) as u16).to_be_bytes());
            jpeg.extend_from_slice(contents);
        };
        segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        for (marker, contents) in metadata {
            segment(*marker, contents);
        }
        segment(0xDB, &[[0u8].as_slice(), &[1u8; 64]].concat());
        segment(0xC0, &[8, 0, 8, 0, 8, 1, 1, 0x11, 0]);
        let table = |class: u8| [[class].as_slice(), &[1], &[0u8; 15], &[0]].concat();
        segment(0xC4, &table(0x00));
        segment(0xC4, &table(0x10));
        segment(0xDA, &[1, 1, 0, 0, 63, 0]);
        jpeg.extend_from_slice(&[0x3F, 0xFF, 0xD9]);
        jpeg
    }

    #[test]
    fn a_jpeg_loses_its_metadata_and_keeps_its_picture() {
        let gps: &[u8] = b"Exif\0\0MM\0*SYNTHETIC-GPS-43.1N-131.9E";
        let original = tiny_jpeg(&[
            (APP1, gps),
            (APP1, b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>SYNTHETIC-XMP</x:xmpmeta>"),
            (APP13, b"Photoshop 3.0\0SYNTHETIC-IPTC"),
            (COM, b"SYNTHETIC-COMMENT"),
            (APP2, b"ICC_PROFILE\0\x01\x01kept"),
        ]);
        let (stripped, removed) = strip("image/jpeg", original.clone()).unwrap();
        assert_eq!(removed, ["exif", "xmp", "iptc", "comment"]);
        // Whatever trails the image (a phone's embedded video, a trailer) goes too; a segment between
        // progressive scans is seen.
        let mut trailed = original.clone();
        trailed.extend_from_slice(b"SYNTHETIC-TRAILING-VIDEO");
        let (cut, removed) = strip("image/jpeg", trailed).unwrap();
        assert_eq!(cut, stripped);
        assert!(removed.contains(&"data after the image".to_string()));
        let eoi = original.len() - 2;
        let mut two_scans = original[..eoi].to_vec();
        two_scans.extend_from_slice(&[0xFF, 0xFE, 0, 19]);
        two_scans.extend_from_slice(b"SYNTHETIC-COMMENT");
        two_scans.extend_from_slice(&[0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 63, 0, 0x3F, 0xFF, 0xD9]);
        let (stripped_two, _) = strip("image/jpeg", two_scans).unwrap();
        assert!(!stripped_two.windows(9).any(|w| w == b"SYNTHETIC"));
        assert!(stripped_two.ends_with(&[0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 63, 0, 0x3F, 0xFF, 0xD9]));
        assert!(!stripped.windows(9).any(|w| w == b"SYNTHETIC"));
        assert!(stripped.windows(4).any(|w| w == b"kept"), "the colour profile stays");
        assert_eq!(stripped, tiny_jpeg(&[(APP2, b"ICC_PROFILE\0\x01\x01kept")]));
        // Nothing to strip: the same bytes.
        let clean = tiny_jpeg(&[]);
        assert_eq!(strip("image/jpeg", clean.clone()).unwrap(), (clean, vec![]));
        assert!(strip("image/jpeg", b"not a jpeg".to_vec()).unwrap_err().contains("not a readable image/jpeg"));
        let cut_short = tiny_jpeg(&[])[..40].to_vec();
        assert!(strip("image/jpeg", cut_short).unwrap_err().contains("not a readable image/jpeg"));
        assert!(strip("image/heic", vec![1]).unwrap_err().contains("cannot strip"));
    }

    #[test]
    fn a_png_loses_its_text_exif_and_time() {
        fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
            let mut out = (data.len() as u32).to_be_bytes().to_vec();
            out.extend_from_slice(kind);
            out.extend_from_slice(data);
            // CRC-32 (ISO 3309) over type and data.
            let mut crc = 0xFFFF_FFFFu32;
            for byte in kind.iter().chain(data) {
                crc ^= u32::from(*byte);
                for _ in 0..8 {
                    crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
                }
            }
            out.extend_from_slice(&(!crc).to_be_bytes());
            out
        }
        // 1×1 grey, 8-bit: a stored (uncompressed) zlib stream of one filter byte and one pixel.
        let idat = [0x78, 0x01, 0x01, 0x02, 0x00, 0xFD, 0xFF, 0x00, 0x80, 0x00, 0x82, 0x00, 0x81];
        let picture = |extra: &[Vec<u8>]| {
            let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
            png.extend(chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]));
            for e in extra {
                png.extend_from_slice(e);
            }
            png.extend(chunk(b"IDAT", &idat));
            png.extend(chunk(b"IEND", &[]));
            png
        };
        let original = picture(&[
            chunk(b"eXIf", b"MM\0*SYNTHETIC-GPS"),
            chunk(b"tEXt", b"Comment\0SYNTHETIC-TEXT"),
            chunk(b"tIME", &[7, 233, 1, 1, 0, 0, 0]),
            chunk(b"caBX", b"SYNTHETIC-PROVENANCE"),
            chunk(b"gAMA", &[0, 0, 177, 143]),
        ]);
        let mut trailed = original.clone();
        trailed.extend_from_slice(b"SYNTHETIC-TRAILER");
        let (stripped, removed) = strip("image/png", trailed).unwrap();
        assert_eq!(removed, ["exif", "text", "time", "other chunks", "data after the image"]);
        assert_eq!(stripped, picture(&[chunk(b"gAMA", &[0, 0, 177, 143])]));
        assert!(strip("image/png", original[..original.len() - 5].to_vec()).is_err());
    }
}
