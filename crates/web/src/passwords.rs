//! Password hashing with Argon2id, bounded.
//!
//! Each hash needs 19 MiB and tens of milliseconds of one core. Unbounded, a flood of
//! logins or password checks hashes hundreds at once: the server once grew from
//! 40 MiB to 14.5 GiB and kept the memory afterwards (the allocator holds freed
//! 19 MiB blocks per thread). So every hash runs on one of a fixed number of slots,
//! each owning its Argon2 memory for the life of the process: memory is bounded by
//! `slots × 19 MiB`, whatever the load. A request waits for a slot in a bounded
//! queue for a bounded time, then gets 503 with `Retry-After` (docs/SECURITY.md).

use crate::error::AppError;
use argon2::password_hash::{rand_core::OsRng, Output, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// Argon2id with the library's defaults (19 MiB, 2 passes, 1 lane: OWASP's baseline).
fn params() -> Params {
    Params::default()
}

/// A real Argon2id hash (default parameters, made with argon2-cffi from PyPI) of a
/// random string that was not kept, checked
/// when a login names an account that does not exist, so that the work — and the time
/// it takes — is the same as for a real account.
const UNKNOWN_ACCOUNT_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$D/X7wS6uEBl7mstLFUQ9JQ$rRJrqr2B8r/jaCqb60DBZGRzed6VQ91IExpn+oGRhCo";

/// How many hashes may run at once and how long, and how many, may wait.
#[derive(Debug, Clone, Copy)]
pub struct HashLimits {
    pub slots: usize,
    pub max_waiting: usize,
    pub max_wait: Duration,
}

impl Default for HashLimits {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        HashLimits { slots: cores, max_waiting: 16 * cores, max_wait: Duration::from_secs(3) }
    }
}

/// Seconds a client is asked to wait when every hashing slot is busy.
const RETRY_AFTER_SECONDS: i64 = 5;

pub struct PasswordHasher {
    slots: tokio::sync::Semaphore,
    /// Argon2 memory of the slots not in use (allocated on first use, then reused).
    memory: Mutex<Vec<Vec<Block>>>,
    waiting: AtomicUsize,
    limits: HashLimits,
}

impl PasswordHasher {
    pub fn new(limits: HashLimits) -> PasswordHasher {
        let slots = limits.slots.max(1);
        PasswordHasher {
            slots: tokio::sync::Semaphore::new(slots),
            memory: Mutex::new(Vec::with_capacity(slots)),
            waiting: AtomicUsize::new(0),
            limits,
        }
    }

    /// A new Argon2id hash of `password`, in PHC string form.
    pub async fn hash(&self, password: String) -> Result<String, AppError> {
        self.run(move |memory| hash_with(&password, memory)).await?
    }

    /// Whether `password` matches the PHC string `phc`; with `phc` `None` (no such
    /// account) the same work is done against a hash nobody knows the password of.
    pub async fn verify(&self, password: String, phc: Option<String>) -> Result<bool, AppError> {
        let known = phc.is_some();
        let phc = phc.unwrap_or_else(|| UNKNOWN_ACCOUNT_HASH.to_string());
        let matches = self.run(move |memory| verify_with(&password, &phc, memory)).await?;
        Ok(known && matches)
    }

    /// Runs `job` on a free slot with that slot's memory, off the async workers.
    async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce(&mut [Block]) -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let busy = || AppError::Unavailable { retry_after_seconds: RETRY_AFTER_SECONDS };
        if self.waiting.fetch_add(1, Ordering::AcqRel) >= self.limits.max_waiting {
            self.waiting.fetch_sub(1, Ordering::AcqRel);
            tracing::warn!("password hashing queue full: answering 503");
            return Err(busy());
        }
        let permit = tokio::time::timeout(self.limits.max_wait, self.slots.acquire()).await;
        self.waiting.fetch_sub(1, Ordering::AcqRel);
        let Ok(Ok(_permit)) = permit else {
            tracing::warn!("no password hashing slot within {:?}: answering 503", self.limits.max_wait);
            return Err(busy());
        };
        let mut memory = self.take_memory();
        let (result, memory) = tokio::task::spawn_blocking(move || {
            let result = job(&mut memory);
            (result, memory)
        })
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("hashing task failed: {e}")))?;
        self.memory.lock().unwrap_or_else(|p| p.into_inner()).push(memory);
        Ok(result)
    }

    fn take_memory(&self) -> Vec<Block> {
        let reused = self.memory.lock().unwrap_or_else(|p| p.into_inner()).pop();
        reused.unwrap_or_else(|| vec![Block::default(); params().block_count()])
    }
}

/// Hashes on the caller's thread with its own memory: for the command line and the
/// demo, which hash a few passwords outside any server.
pub fn hash_password(password: &str) -> Result<String, AppError> {
    hash_with(password, &mut vec![Block::default(); params().block_count()])
}

fn hash_with(password: &str, memory: &mut [Block]) -> Result<String, AppError> {
    let failed = |e: &dyn std::fmt::Display| AppError::Internal(anyhow::anyhow!("password hashing failed: {e}"));
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.decode_b64(&mut salt_bytes).map_err(|e| failed(&e))?;
    let params = params();
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    argon2.hash_password_into_with_memory(password.as_bytes(), salt_bytes, &mut out, memory).map_err(|e| failed(&e))?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: (&params).try_into().map_err(|e| failed(&e))?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(|e| failed(&e))?),
    };
    Ok(hash.to_string())
}

/// Checks against a stored hash with that hash's own parameters, as long as they fit
/// in the slot's memory (a stored hash asking for more is refused, not obeyed).
fn verify_with(password: &str, phc: &str, memory: &mut [Block]) -> bool {
    let Ok(hash) = PasswordHash::new(phc) else { return false };
    let (Ok(algorithm), Ok(params)) = (Algorithm::try_from(hash.algorithm), Params::try_from(&hash)) else {
        return false;
    };
    let version = hash.version.map(Version::try_from).transpose().ok().flatten().unwrap_or_default();
    let (Some(salt), Some(expected)) = (hash.salt, hash.hash) else { return false };
    if params.block_count() > memory.len() {
        tracing::warn!("stored password hash needs more memory than a hashing slot has: refused");
        return false;
    }
    let mut salt_bytes = [0u8; 64];
    let Ok(salt_bytes) = salt.decode_b64(&mut salt_bytes) else { return false };
    let mut out = vec![0u8; expected.len()];
    let argon2 = Argon2::new(algorithm, version, params);
    if argon2.hash_password_into_with_memory(password.as_bytes(), salt_bytes, &mut out, memory).is_err() {
        return false;
    }
    // `Output` compares in constant time.
    Output::new(&out).is_ok_and(|computed| computed == expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn memory() -> Vec<Block> {
        vec![Block::default(); params().block_count()]
    }

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let hash = hash_password("한빛시 비밀번호 123").unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(verify_with("한빛시 비밀번호 123", &hash, &mut memory()));
        assert!(!verify_with("한빛시 비밀번호 124", &hash, &mut memory()));
        assert!(!verify_with("anything", "not a hash", &mut memory()));
    }

    #[test]
    fn hashes_made_by_the_argon2_library_verify() {
        use argon2::password_hash::PasswordHasher as _;
        let salt = SaltString::generate(&mut OsRng);
        let library = Argon2::default().hash_password(b"secret words", &salt).unwrap().to_string();
        assert!(verify_with("secret words", &library, &mut memory()));
        assert!(!verify_with("secret word", &library, &mut memory()));
    }

    #[test]
    fn hashes_made_by_another_implementation_verify() {
        // argon2-cffi (the reference C implementation) with the same parameters.
        let reference =
            "$argon2id$v=19$m=19456,t=2,p=1$AmB4FwqYWrOUhSNiw8+1Eg$pOLJpXCCvJNy3IuPXKGfyAZThuHGfvv7EG7BPELlg3Y";
        assert!(verify_with("한빛시 비밀번호 123", reference, &mut memory()));
        assert!(!verify_with("한빛시 비밀번호 12", reference, &mut memory()));
    }

    #[test]
    fn a_stored_hash_asking_for_more_memory_is_refused() {
        let big = Params::new(64 * 1024, 1, 1, None).unwrap();
        let salt = SaltString::generate(&mut OsRng);
        use argon2::password_hash::PasswordHasher as _;
        let phc =
            Argon2::new(Algorithm::Argon2id, Version::V0x13, big).hash_password(b"pw", &salt).unwrap().to_string();
        assert!(!verify_with("pw", &phc, &mut memory()));
    }

    #[test]
    fn the_unknown_account_hash_has_the_default_cost() {
        let hash = PasswordHash::new(UNKNOWN_ACCOUNT_HASH).unwrap();
        let stored = Params::try_from(&hash).unwrap();
        let ours = params();
        assert_eq!((stored.m_cost(), stored.t_cost(), stored.p_cost()), (ours.m_cost(), ours.t_cost(), ours.p_cost()));
        assert_eq!(hash.hash.unwrap().len(), Params::DEFAULT_OUTPUT_LEN);
        assert_eq!(hash.algorithm, Algorithm::Argon2id.ident());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_full_queue_answers_unavailable() {
        let hasher = std::sync::Arc::new(PasswordHasher::new(HashLimits {
            slots: 1,
            max_waiting: 2,
            max_wait: Duration::from_secs(30),
        }));
        let attempts = (0..8).map(|_| {
            let hasher = hasher.clone();
            tokio::spawn(async move { hasher.verify("x".into(), None).await })
        });
        let results: Vec<_> = futures_join(attempts).await;
        let refused = results.iter().filter(|r| matches!(r, Err(AppError::Unavailable { .. }))).count();
        let done = results.iter().filter(|r| matches!(r, Ok(false))).count();
        assert_eq!(refused + done, 8);
        assert!(refused >= 5, "one running and at most two waiting: {refused} refused");
        assert!(hasher.memory.lock().unwrap().len() <= 1, "one slot, one block of memory");
    }

    async fn futures_join<T>(handles: impl Iterator<Item = tokio::task::JoinHandle<T>>) -> Vec<T> {
        let mut out = Vec::new();
        for handle in handles.collect::<Vec<_>>() {
            out.push(handle.await.unwrap());
        }
        out
    }
}
