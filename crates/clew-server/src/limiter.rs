//! Sign-in throttling: failed sign-ins are counted per account name and per client address over a window;
//! past the limit, sign-in is refused until the window ends, whatever the password. Counters live in memory
//! (a restart forgets them; the custody log keeps every failure). Their number is bounded, so a flood of
//! names cannot grow the server without end.

use std::collections::HashMap;

/// The window failures are counted over (seconds).
pub(crate) const WINDOW_SECONDS: u64 = 15 * 60;
/// Failed sign-ins allowed for one account name in a window.
pub(crate) const PER_NAME: u32 = 5;
/// Failed sign-ins allowed from one address in a window (several people may share an office's address).
pub(crate) const PER_ADDRESS: u32 = 20;
/// The most counters kept; when full, expired ones go first, then the whole table (failing open on counts,
/// never on passwords).
const MAX_COUNTERS: usize = 100_000;

/// Failure counters.
#[derive(Debug, Default)]
pub(crate) struct Limiter {
    counters: HashMap<String, (u32, u64)>,
}

/// What a counter counts.
pub(crate) enum Key<'a> {
    /// An account name (as normalised by the service).
    Name(&'a str),
    /// A client address.
    Address(std::net::IpAddr),
}

impl Key<'_> {
    fn text(&self) -> String {
        match self {
            Key::Name(name) => format!("n:{name}"),
            Key::Address(address) => format!("a:{address}"),
        }
    }

    fn limit(&self) -> u32 {
        match self {
            Key::Name(_) => PER_NAME,
            Key::Address(_) => PER_ADDRESS,
        }
    }
}

impl Limiter {
    /// `Err(seconds to wait)` when any key is past its limit at `now`.
    pub(crate) fn check(&self, keys: &[Key<'_>], now: u64) -> Result<(), u64> {
        let mut wait = 0;
        for key in keys {
            if let Some((count, start)) = self.counters.get(&key.text())
                && now < start + WINDOW_SECONDS
                && *count >= key.limit()
            {
                wait = wait.max(start + WINDOW_SECONDS - now);
            }
        }
        if wait > 0 { Err(wait) } else { Ok(()) }
    }

    /// Counts a failed sign-in.
    pub(crate) fn failed(&mut self, keys: &[Key<'_>], now: u64) {
        if self.counters.len() >= MAX_COUNTERS {
            self.counters.retain(|_, (_, start)| now < *start + WINDOW_SECONDS);
            if self.counters.len() >= MAX_COUNTERS {
                self.counters.clear();
            }
        }
        for key in keys {
            let counter = self.counters.entry(key.text()).or_insert((0, now));
            if now >= counter.1 + WINDOW_SECONDS {
                *counter = (0, now);
            }
            counter.0 += 1;
        }
    }

    /// Takes back an attempt counted before it succeeded, and forgets the name's failures.
    pub(crate) fn succeeded(&mut self, keys: &[Key<'_>], now: u64) {
        for key in keys {
            match key {
                Key::Name(_) => {
                    self.counters.remove(&key.text());
                }
                Key::Address(_) => {
                    if let Some(counter) = self.counters.get_mut(&key.text())
                        && now < counter.1 + WINDOW_SECONDS
                    {
                        counter.0 = counter.0.saturating_sub(1);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_held_back_after_its_limit_until_the_window_ends() {
        let mut limiter = Limiter::default();
        let keys = [Key::Name("kim")];
        for _ in 0..PER_NAME {
            assert!(limiter.check(&keys, 100).is_ok());
            limiter.failed(&keys, 100);
        }
        assert_eq!(limiter.check(&keys, 160), Err(WINDOW_SECONDS - 60));
        assert!(limiter.check(&[Key::Name("lee")], 160).is_ok(), "another name is not held back");
        assert!(limiter.check(&keys, 100 + WINDOW_SECONDS).is_ok(), "the window ended");
        limiter.failed(&keys, 100 + WINDOW_SECONDS);
        assert!(limiter.check(&keys, 101 + WINDOW_SECONDS).is_ok(), "a new window counts from zero");
    }

    #[test]
    fn an_address_is_held_back_whatever_names_it_tries() {
        let mut limiter = Limiter::default();
        let address = Key::Address([10, 0, 0, 1].into());
        for i in 0..PER_ADDRESS {
            let name = format!("name{i}");
            limiter.failed(&[Key::Name(&name), Key::Address([10, 0, 0, 1].into())], 5);
        }
        assert!(limiter.check(&[Key::Name("fresh"), address], 6).is_err());
    }

    #[test]
    fn success_forgets_a_names_failures() {
        let mut limiter = Limiter::default();
        for _ in 0..PER_NAME {
            limiter.failed(&[Key::Name("kim")], 1);
        }
        limiter.failed(&[Key::Address([10, 0, 0, 2].into())], 1);
        limiter.succeeded(&[Key::Name("kim"), Key::Address([10, 0, 0, 2].into())], 2);
        assert!(limiter.check(&[Key::Name("kim")], 2).is_ok());
        assert_eq!(limiter.counters.get("a:10.0.0.2").map(|c| c.0), Some(0), "a success is not a failure");
    }
}
