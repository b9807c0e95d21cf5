//! Sign-in rate limiting: a few attempts per account name per minute, so a
//! password cannot be guessed at speed. (No ceiling across all names: one
//! visitor could then lock the whole team out; argon2's cost already slows
//! spraying many names.) In memory: a restart forgets the counts.

use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

/// Attempts per name per minute.
const PER_NAME_PER_MINUTE: u32 = 5;

/// The limiter `AppState` holds.
#[derive(Debug)]
pub struct LoginLimiter {
    per_name: RateLimiter<String, DefaultKeyedStateStore<String>, DefaultClock>,
    clock: DefaultClock,
}

impl Default for LoginLimiter {
    fn default() -> LoginLimiter {
        let per_minute = |n: u32| Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN));
        LoginLimiter {
            per_name: RateLimiter::keyed(per_minute(PER_NAME_PER_MINUTE)),
            clock: DefaultClock::default(),
        }
    }
}

impl LoginLimiter {
    /// Counts an attempt for `name`; `Err(wait)` when it must be refused.
    pub fn check(&self, name: &str) -> Result<(), Duration> {
        let now = self.clock.now();
        let key = name.trim().to_lowercase();
        self.per_name
            .check_key(&key)
            .map_err(|not_until| not_until.wait_time_from(now))?;
        // Forget names that have calmed down, so the map stays small.
        if self.per_name.len() > 10_000 {
            self.per_name.retain_recent();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_refused_after_five_quick_attempts_others_are_not() {
        let limiter = LoginLimiter::default();
        for _ in 0..PER_NAME_PER_MINUTE {
            assert!(limiter.check("Ann").is_ok());
        }
        let wait = limiter.check(" ann ").unwrap_err();
        assert!(wait > Duration::ZERO);
        assert!(limiter.check("bob").is_ok());
    }
}
