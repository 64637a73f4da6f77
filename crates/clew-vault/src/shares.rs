//! k-of-n splitting of a custodian key (Shamir's secret sharing over GF(256), from the `vsss-rs` crate), so
//! that no single person can unmask a witness: any `threshold` of the share holders together rebuild the
//! key, fewer learn nothing about it. Each share says which key it belongs to and how many shares are
//! needed, so a wrong or short set of shares is refused instead of rebuilding a wrong key.

use zeroize::Zeroizing;

use crate::{Error, Identity};

/// The first word of a share line.
const SHARE_TAG: &str = "CLEW-KEY-SHARE-1";

/// Splits a custodian's identity file (one secret key) into `shares` share files' texts, any `threshold` of
/// which rebuild it.
pub fn split(identity_file: &str, name: &str, threshold: u8, shares: u8) -> Result<Vec<Zeroizing<String>>, Error> {
    if threshold < 2 || shares < threshold {
        return Err(Error::Shares(format!(
            "a split needs at least 2 shares to open and no fewer shares than that (asked: {threshold} of {shares})"
        )));
    }
    let keys: Vec<&str> =
        identity_file.lines().map(str::trim).filter(|line| line.starts_with("AGE-SECRET-KEY-1")).collect();
    let [secret] = keys.as_slice() else {
        return Err(Error::Shares(format!(
            "{name} must hold exactly one secret key to split (it holds {})",
            keys.len()
        )));
    };
    let identity = Identity::parse(secret, name)?;
    let public = identity.recipients().into_iter().next().ok_or_else(|| Error::NoIdentity(name.to_string()))?;
    let parts = Zeroizing::new(
        vsss_rs::Gf256::split_array(
            usize::from(threshold),
            usize::from(shares),
            secret.as_bytes(),
            rand_core_06::OsRng,
        )
        .map_err(|e| Error::Shares(format!("splitting failed: {e:?}")))?,
    );
    Ok(parts
        .iter()
        .map(|part| {
            let index = part.first().copied().unwrap_or(0);
            let digits = Zeroizing::new(hex::encode(part));
            Zeroizing::new(format!(
                "# clew custodian key share {index} of {shares}: any {threshold} shares together open protected \
                 witness data.\n# Keep it apart from the other shares, and secret.\n# custodian public key: \
                 {public}\n{SHARE_TAG}:{threshold}:{shares}:{public}:{}\n",
                digits.as_str()
            ))
        })
        .collect())
}

/// Whether a key file's text is a share.
pub fn is_share(text: &str) -> bool {
    text.lines().any(|line| line.trim().starts_with(SHARE_TAG))
}

/// Rebuilds a custodian's key from share files' texts (name, text), in memory only.
pub fn combine(files: &[(String, Zeroizing<String>)]) -> Result<Identity, Error> {
    let mut parsed = Vec::new();
    for (name, text) in files {
        let line = text.lines().map(str::trim).find(|l| l.starts_with(SHARE_TAG));
        let fields: Option<(u8, u8, String, Vec<u8>)> = line.and_then(|line| {
            let mut fields = line.split(':').skip(1);
            let threshold = fields.next()?.parse().ok()?;
            let total = fields.next()?.parse().ok()?;
            let public = fields.next()?.to_string();
            let bytes = hex::decode(fields.next()?).ok()?;
            fields.next().is_none().then_some((threshold, total, public, bytes))
        });
        let (threshold, total, public, bytes) =
            fields.ok_or_else(|| Error::Shares(format!("{name} is not a clew key share, or it is damaged")))?;
        parsed.push((name, threshold, total, public, Zeroizing::new(bytes)));
    }
    let Some((_, threshold, _, public, _)) = parsed.first() else {
        return Err(Error::Shares("no shares given".into()));
    };
    let (threshold, public) = (*threshold, public.clone());
    if let Some((name, ..)) = parsed.iter().find(|p| p.1 != threshold || p.3 != public) {
        return Err(Error::Shares(format!("{name} is a share of another key than the first share given")));
    }
    let mut ids: Vec<u8> = parsed.iter().map(|p| p.4.first().copied().unwrap_or(0)).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.len() < usize::from(threshold) {
        return Err(Error::Shares(format!(
            "{} different share(s) given; this key needs {threshold} of its {} shares",
            ids.len(),
            parsed[0].2
        )));
    }
    // One share per x coordinate: a share given twice adds nothing, and would break the interpolation.
    let mut seen = Vec::new();
    // Wiped when dropped, on every path: an error below used to leave the shares' bytes in memory.
    let parts: Zeroizing<Vec<Vec<u8>>> = Zeroizing::new(
        parsed
            .iter()
            .filter(|p| {
                let id = p.4.first().copied().unwrap_or(0);
                let first = !seen.contains(&id);
                seen.push(id);
                first
            })
            .map(|p| p.4.to_vec())
            .collect(),
    );
    let secret = Zeroizing::new(
        vsss_rs::Gf256::combine_array(&parts[..]).map_err(|e| Error::Shares(format!("combining failed: {e:?}")))?,
    );
    drop(parts);
    let text = match String::from_utf8(secret.to_vec()) {
        Ok(text) => Zeroizing::new(text),
        Err(error) => {
            zeroize::Zeroize::zeroize(&mut error.into_bytes());
            return Err(Error::Shares("the shares do not rebuild a key: one of them is damaged".into()));
        }
    };
    let identity = Identity::parse(&text, "the shares")
        .map_err(|_| Error::Shares("the shares do not rebuild a key: one of them is damaged".into()))?;
    let rebuilt = identity.recipients().into_iter().next().map(|r| r.to_string());
    if rebuilt.as_deref() != Some(public.as_str()) {
        return Err(Error::Shares("the shares do not rebuild the key they name: one of them is damaged".into()));
    }
    Ok(identity)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(texts: &[&Zeroizing<String>]) -> Vec<(String, Zeroizing<String>)> {
        texts.iter().enumerate().map(|(i, t)| (format!("share{i}"), (*t).clone())).collect()
    }

    #[test]
    fn any_threshold_of_the_shares_rebuilds_the_key_and_fewer_are_refused() {
        let custodian = crate::new_custodian("test");
        let shares = split(&custodian.identity_file, "key", 3, 5).unwrap();
        assert_eq!(shares.len(), 5);
        assert!(shares.iter().all(|s| is_share(s) && !s.contains("AGE-SECRET-KEY")));
        let sealed = crate::seal(std::slice::from_ref(&custodian.key), b"SYNTHETIC").unwrap();
        for (a, b, c) in [(0, 1, 2), (0, 2, 4), (1, 3, 4), (4, 3, 2)] {
            let identity = combine(&named(&[&shares[a], &shares[b], &shares[c]])).unwrap();
            assert_eq!(crate::open(&identity, &sealed).unwrap().as_slice(), b"SYNTHETIC");
        }
        let error = combine(&named(&[&shares[0], &shares[1]])).unwrap_err().to_string();
        assert!(error.contains("needs 3"), "{error}");
        let error = combine(&named(&[&shares[0], &shares[0], &shares[1]])).unwrap_err().to_string();
        assert!(error.contains("2 different"), "{error}");
        let identity = combine(&named(&[&shares[0], &shares[0], &shares[1], &shares[2]])).unwrap();
        assert_eq!(crate::open(&identity, &sealed).unwrap().as_slice(), b"SYNTHETIC", "a repeated share is harmless");
        // A damaged share, or one of another key, is named, never a wrong key rebuilt.
        let mut damaged_byte = shares[1].to_string();
        let at = damaged_byte.len() - 3;
        damaged_byte.replace_range(at..at + 1, if &damaged_byte[at..at + 1] == "0" { "1" } else { "0" });
        let result = combine(&named(&[&shares[0], &Zeroizing::new(damaged_byte), &shares[3]]));
        assert!(result.unwrap_err().to_string().contains("damaged"));
        let other = split(&crate::new_custodian("other").identity_file, "other", 3, 5).unwrap();
        let error = combine(&named(&[&shares[0], &shares[1], &other[2]])).unwrap_err().to_string();
        assert!(error.contains("another key"), "{error}");
        assert!(split(&custodian.identity_file, "key", 1, 3).is_err());
        assert!(split(&custodian.identity_file, "key", 4, 3).is_err());
    }
}
