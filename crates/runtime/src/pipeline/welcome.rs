//! Welcoming newcomers: the group's template in its language, deleted after
//! a while, one message for many who join at once.

use steward_core::{IncomingEvent, MemberId};
use steward_storage::Tx;

use super::interact::Sink;
use super::lifecycle::Step;
use super::{GroupInfo, Pipeline, PipelineError};

impl Pipeline {
    /// Welcomes a newcomer who was let in.
    pub(super) async fn welcome(
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
