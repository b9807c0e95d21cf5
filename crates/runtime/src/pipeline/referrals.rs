//! Referrals: joins credited to the member whose personal invite link (or
//! direct invitation) brought the newcomer in.

use steward_core::{IncomingEvent, MemberId};
use steward_storage::Tx;

use super::interact::Sink;
use super::lifecycle::Step;
use super::{GroupInfo, Pipeline, PipelineError};

impl Pipeline {
    /// Credits the member who invited the newcomer, if anyone did.
    pub(super) async fn credit_referral(
        &self,
        _tx: &mut Tx,
        _sink: &mut Sink<'_>,
        _event: &IncomingEvent,
        _group: GroupInfo,
        _member: MemberId,
    ) -> Result<Step, PipelineError> {
        Ok(Step::pass())
    }
}
