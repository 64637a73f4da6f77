//! Stripping metadata from images on ingest: EXIF (with GPS position, device, time), XMP, IPTC and comments
//! can place a witness or an interview. JPEG, PNG and WebP are rewritten without those parts and without
//! re-encoding: the picture's own bytes are left as they are. The caller keeps the original's hash.

use img_parts::jpeg::{Jpeg, markers};
use img_parts::png::Png;
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
    let bytes = Bytes::from(bytes);
    let not_image = |e: img_parts::Error| format!("not a readable {media_type} image: {e}");
    let mut removed = Vec::new();
    let mut note = |what: &str| {
        if !removed.iter().any(|r| r == what) {
            removed.push(what.to_string());
        }
    };
    let stripped = match media_type {
        "image/jpeg" => {
            let mut jpeg = Jpeg::from_bytes(bytes).map_err(not_image)?;
            jpeg.segments_mut().retain(|segment| {
                let marker = segment.marker();
                let contents = segment.contents();
                let what = match marker {
                    markers::APP1 if contents.starts_with(b"Exif\0") => "exif",
                    markers::APP1 => "xmp",
                    markers::APP13 => "iptc",
                    markers::COM => "comment",
                    // JFIF (APP0), ICC colour profiles (APP2) and Adobe colour transforms (APP14) are needed
                    // to show the picture right; every other application segment is metadata.
                    markers::APP0 | markers::APP2 | markers::APP14 => return true,
                    markers::APP3..=markers::APP15 => "application data",
                    _ => return true,
                };
                note(what);
                false
            });
            jpeg.encoder().bytes()
        }
        "image/png" => {
            let mut png = Png::from_bytes(bytes).map_err(not_image)?;
            png.chunks_mut().retain(|chunk| {
                let what = match &chunk.kind() {
                    b"eXIf" => "exif",
                    b"tEXt" | b"zTXt" | b"iTXt" => "text",
                    b"tIME" => "time",
                    _ => return true,
                };
                note(what);
                false
            });
            png.encoder().bytes()
        }
        "image/webp" => {
            let mut webp = WebP::from_bytes(bytes).map_err(not_image)?;
            if webp.exif().is_some() {
                webp.set_exif(None);
                note("exif");
            }
            if webp.has_chunk(*b"XMP ") {
                webp.remove_chunks_by_id(*b"XMP ");
                note("xmp");
            }
            webp.encoder().bytes()
        }
        other => return Err(format!("clew cannot strip metadata from {other} (it strips JPEG, PNG and WebP)")),
    };
    Ok((stripped.to_vec(), removed))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A valid 8×8 grey baseline JPEG, built by hand: one block, all coefficients zero.
    pub(crate) fn tiny_jpeg(metadata: &[(u8, &[u8])]) -> Vec<u8> {
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
            (markers::APP1, gps),
            (markers::APP1, b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>SYNTHETIC-XMP</x:xmpmeta>"),
            (markers::APP13, b"Photoshop 3.0\0SYNTHETIC-IPTC"),
            (markers::COM, b"SYNTHETIC-COMMENT"),
            (markers::APP2, b"ICC_PROFILE\0\x01\x01kept"),
        ]);
        let (stripped, removed) = strip("image/jpeg", original.clone()).unwrap();
        assert_eq!(removed, ["exif", "xmp", "iptc", "comment"]);
        assert!(!stripped.windows(9).any(|w| w == b"SYNTHETIC"));
        assert!(stripped.windows(4).any(|w| w == b"kept"), "the colour profile stays");
        assert_eq!(stripped, tiny_jpeg(&[(markers::APP2, b"ICC_PROFILE\0\x01\x01kept")]));
        // Nothing to strip: the same bytes.
        let clean = tiny_jpeg(&[]);
        assert_eq!(strip("image/jpeg", clean.clone()).unwrap(), (clean, vec![]));
        assert!(strip("image/jpeg", b"not a jpeg".to_vec()).unwrap_err().contains("not a readable image/jpeg"));
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
        ]);
        let (stripped, removed) = strip("image/png", original).unwrap();
        assert_eq!(removed, ["exif", "text", "time"]);
        assert_eq!(stripped, picture(&[]));
    }
}
