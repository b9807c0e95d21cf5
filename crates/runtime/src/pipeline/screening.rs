//! Screening newcomers who joined without a join request: raid mode and the
//! in-group CAPTCHA (muted until solved).

use steward_core::{IncomingEvent, MemberId};
use steward_storage::Tx;

use super::interact::Sink;
use super::lifecycle::Step;
use super::{GroupInfo, Pipeline, PipelineError};

impl Pipeline {
    /// Screens a member who just joined.
    pub(super) async fn screen_newcomer(
        &self,
        _tx: &mut Tx,
        _sink: &mut Sink<'_>,
        _event: &IncomingEvent,
        _group: GroupInfo,
        _member: MemberId,
    ) -> Result<Step, PipelineError> {
        Ok(Step::pass())
    }

    /// A member left: a pending CAPTCHA of theirs is dropped.
    pub(super) async fn screening_member_left(
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
