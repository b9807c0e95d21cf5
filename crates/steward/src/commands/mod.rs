//! One module per subcommand.

mod ban_list;
mod bench;
mod bench_moderation;
mod bench_reports;
mod config_check;
mod demo;
mod eval;
mod import;
mod member;
mod raffle;
mod report;
mod rules;
mod serve;
mod token;
mod user;

use std::process::ExitCode;

use anyhow::Result;

use crate::app;
use crate::cli::BanListCommand;
use crate::cli::ImportCommand;
use crate::cli::MemberCommand;
use crate::cli::RaffleCommand;
use crate::cli::{
    BenchCommand, Cli, Command, ConfigCommand, EvalCommand, RulesCommand, TokenCommand, UserCommand,
};

/// Runs the command the user asked for.
pub(crate) async fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Serve(args) => {
            let mut config = app::load_config(&cli.store, None)?;
            if let Some(listen) = args.listen {
                config.server.listen = listen;
            }
            let pipeline = app::open_pipeline(&config).await?;
            serve::serve(&config, pipeline).await?;
        }
        Command::Demo(args) => {
            let mut config = app::load_config(&cli.store, None)?;
            if let Some(listen) = args.listen {
                config.server.listen = listen;
            }
            demo::demo(&config, &args).await?;
        }
        Command::User(UserCommand::Add {
            name,
            role,
            password_stdin,
        }) => {
            let config = app::load_config(&cli.store, None)?;
            user::add(&config, &name, role, password_stdin).await?;
        }
        Command::User(UserCommand::List) => {
            let config = app::load_config(&cli.store, None)?;
            user::list(&config).await?;
        }
        Command::Token(TokenCommand::Create { user, label }) => {
            let config = app::load_config(&cli.store, None)?;
            token::create(&config, &user, &label).await?;
        }
        Command::Config(ConfigCommand::Check { file }) => {
            return Ok(config_check::check(&cli.store, file.as_deref()));
        }
        Command::Bench(BenchCommand::Ingest(args)) => bench::ingest(&args).await?,
        Command::Bench(BenchCommand::Moderation(args)) => bench_moderation::run(&args)?,
        Command::Bench(BenchCommand::Reports(args)) => bench_reports::reports(&args).await?,
        Command::Eval(EvalCommand::Spam { labeled, threshold }) => {
            let config = app::load_config(&cli.store, None)?;
            eval::spam(&config, &labeled, threshold).await?;
        }
        Command::Rules(RulesCommand::Test { text, rules: file }) => {
            let config = app::load_config(&cli.store, None)?;
            rules::test(&config, file.as_deref(), &text).await?;
        }
        Command::Rules(RulesCommand::Backtest {
            group,
            since,
            rules: file,
        }) => {
            let config = app::load_config(&cli.store, None)?;
            rules::backtest(&config, file.as_deref(), &group, &since).await?;
        }
        Command::Raffle(RaffleCommand::Verify { file, raffle: id }) => {
            let load = || app::load_config(&cli.store, None);
            return raffle::verify(load, file.as_deref(), id).await;
        }
        Command::Raffle(RaffleCommand::Export { raffle: id, out }) => {
            let config = app::load_config(&cli.store, None)?;
            raffle::export(&config, id, out.as_deref()).await?;
        }
        Command::Report(args) => {
            let config = app::load_config(&cli.store, None)?;
            report::run(&config, &args).await?;
        }
        Command::Import(ImportCommand::TelegramExport {
            file,
            group,
            chat,
            utc_offset,
            force,
        }) => {
            let config = app::load_config(&cli.store, None)?;
            import::telegram_export(&config, &file, &group, chat, utc_offset.as_deref(), force)
                .await?;
        }
        Command::Member(command) => {
            let config = app::load_config(&cli.store, None)?;
            match command {
                MemberCommand::Export { member, out } => {
                    member::export(&config, &member, out.as_deref()).await?;
                }
                MemberCommand::Erase { member, yes } => {
                    member::erase(&config, &member, yes).await?
                }
            }
        }
        Command::BanList(command) => {
            let config = app::load_config(&cli.store, None)?;
            match command {
                BanListCommand::Export { community, out } => {
                    ban_list::export(&config, &community, out.as_deref()).await?;
                }
                BanListCommand::Import { file, community } => {
                    ban_list::import(&config, &community, &file).await?;
                }
                BanListCommand::Add {
                    community,
                    platform,
                    account,
                    reason,
                } => ban_list::add(&config, &community, &platform, &account, &reason).await?,
                BanListCommand::Remove {
                    community,
                    platform,
                    account,
                    unban,
                } => ban_list::remove(&config, &community, &platform, &account, unban).await?,
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
