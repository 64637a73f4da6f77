//! What is worth computing once per state of the project: a value built from statements, kept until a
//! statement is added (`ReadTx::statements_version`). The server's threads share it; one builds it while the
//! others wait for that build rather than starting their own.

use std::sync::{Arc, Mutex, PoisonError};

/// A value and the statements version it was built at.
#[derive(Debug)]
pub(crate) struct Cached<T> {
    slot: Mutex<Option<(u64, Arc<T>)>>,
}

impl<T> Default for Cached<T> {
    fn default() -> Cached<T> {
        Cached { slot: Mutex::new(None) }
    }
}

impl<T> Cached<T> {
    /// The value for statements version `version`: the kept one if it was built at that version, else a new
    /// one from `build` (which runs while the lock is held, so it runs once for all who ask meanwhile).
    pub(crate) fn get(&self, version: u64, build: impl FnOnce() -> crate::Result<T>) -> crate::Result<Arc<T>> {
        self.get_if(version, |_| true, build)
    }

    /// As [`Cached::get`], for a value made from more than the statements (a rate table, say): the kept one is
    /// used only if `still` says it was made from what is in force now.
    pub(crate) fn get_if(
        &self,
        version: u64,
        still: impl FnOnce(&T) -> bool,
        build: impl FnOnce() -> crate::Result<T>,
    ) -> crate::Result<Arc<T>> {
        // A build that panicked left nothing half-made in the slot: it is still usable.
        let mut slot = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((built_at, value)) = &*slot
            && *built_at == version
            && still(value)
        {
            return Ok(Arc::clone(value));
        }
        let value = Arc::new(build()?);
        *slot = Some((version, Arc::clone(&value)));
        Ok(value)
    }
}

/// Values by key, all built at one statements version: any other version empties it. At most `capacity`
/// are kept; a full map is emptied before the next is put (the pages read most are soon back).
#[derive(Debug)]
pub(crate) struct CachedMap<K, V> {
    capacity: usize,
    slot: Mutex<(u64, std::collections::HashMap<K, Arc<V>>)>,
}

impl<K: std::hash::Hash + Eq, V> CachedMap<K, V> {
    pub(crate) fn new(capacity: usize) -> CachedMap<K, V> {
        CachedMap { capacity, slot: Mutex::new((0, std::collections::HashMap::new())) }
    }

    /// The value of `key` built at `version`, if kept.
    pub(crate) fn get(&self, version: u64, key: &K) -> Option<Arc<V>> {
        let slot = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
        if slot.0 != version {
            return None;
        }
        slot.1.get(key).cloned()
    }

    /// Keeps `value` for `key` at `version`.
    pub(crate) fn put(&self, version: u64, key: K, value: Arc<V>) {
        let mut slot = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
        if slot.0 != version || slot.1.len() >= self.capacity {
            slot.1.clear();
            slot.0 = version;
        }
        slot.1.insert(key, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_map_keeps_values_of_one_version_up_to_its_capacity() {
        let map: CachedMap<u32, u32> = CachedMap::new(2);
        map.put(1, 1, Arc::new(10));
        map.put(1, 2, Arc::new(20));
        assert_eq!(map.get(1, &1).as_deref(), Some(&10));
        assert_eq!(map.get(2, &1), None, "another version");
        map.put(1, 3, Arc::new(30));
        assert_eq!((map.get(1, &1), map.get(1, &3).as_deref()), (None, Some(&30)), "emptied when full");
        map.put(2, 1, Arc::new(11));
        assert_eq!((map.get(2, &1).as_deref(), map.get(1, &3)), (Some(&11), None), "a new version empties it");
    }

    #[test]
    fn a_value_is_built_once_per_version() {
        let cached: Cached<u64> = Cached::default();
        let builds = std::cell::Cell::new(0);
        let build = |n: u64| {
            builds.set(builds.get() + 1);
            Ok(n)
        };
        assert_eq!(*cached.get(1, || build(10)).unwrap(), 10);
        assert_eq!(*cached.get(1, || build(11)).unwrap(), 10);
        assert_eq!(*cached.get(2, || build(12)).unwrap(), 12);
        assert_eq!(builds.get(), 2);
        assert!(cached.get(3, || Err(crate::Error::usage("no"))).is_err());
        assert_eq!(*cached.get(2, || build(13)).unwrap(), 12, "a failed build keeps what was there");
        assert_eq!(*cached.get_if(2, |kept| *kept == 12, || build(14)).unwrap(), 12, "still what is in force");
        assert_eq!(*cached.get_if(2, |kept| *kept == 14, || build(14)).unwrap(), 14, "made from something else");
        assert_eq!(builds.get(), 3);
    }
}
