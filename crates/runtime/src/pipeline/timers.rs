//! Work due at a time rather than on an event: unanswered join questions and
//! CAPTCHAs, nickname grace periods, raid mode ending. `steward serve` calls
//! [`Pipeline::run_timers`] every second; tests call it with any time.

use steward_core::Timestamp;

use super::{Pipeline, PipelineError};

impl Pipeline {
    /// Runs everything due at `now`. Returns how many things were done.
    pub async fn run_timers(&self, now: Timestamp) -> Result<usize, PipelineError> {
        let mut done = self.expire_screenings(now).await?;
        done += self.screening_timers(now).await?;
        done += self.nickname_timers(now).await?;
        done += self.raffle_timers(now).await?;
        done += self.activity_timers(now).await?;
        done += self.post_timers(now).await?;
        done += self.poll_timers(now).await?;
        done += self.run_ticket_timers(now).await?;
        done += self.analytics_timers(now).await?;
        self.flush_terms_when_due().await?;
        Ok(done)
    }

    /// Raid mode running out. (Questions and CAPTCHAs not answered in time,
    /// in private or in a group, are [`Pipeline::expire_screenings`].)
    async fn screening_timers(&self, now: Timestamp) -> Result<usize, PipelineError> {
        self.end_due_raid_modes(now).await
    }

    /// Nickname grace periods that ran out.
    async fn nickname_timers(&self, now: Timestamp) -> Result<usize, PipelineError> {
        self.run_nickname_timers(now).await
    }
}
