//! Campaign filters that some vendors' APIs apply (Insider's campaign-list and statistics). A
//! vendor that cannot apply one refuses the command (exit 2) rather than ignoring it.

use clap::Args;

use crate::provider::CampaignFilters;

/// `--status`, `--tag`, `--account`.
#[derive(Debug, Clone, Default, Args)]
pub struct FilterArgs {
    /// Only campaigns in these statuses (Insider: active, test, passive, completed, failed,
    /// scheduled, draft, stop)
    #[arg(long, value_name = "STATUS", value_delimiter = ',')]
    pub status: Vec<String>,

    /// Only campaigns with one of these tags, by id or name (Insider)
    #[arg(long, value_name = "TAG", value_delimiter = ',')]
    pub tag: Vec<String>,

    /// Only campaigns sent from these sender numbers, e.g. +905551112233 (Insider)
    #[arg(long, value_name = "PHONE", value_delimiter = ',')]
    pub account: Vec<String>,
}

impl FilterArgs {
    /// The filters, with `--name` where the command has it.
    pub fn filters(&self, name: Option<String>) -> CampaignFilters {
        let clean = |v: &[String]| -> Vec<String> {
            v.iter()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        };
        CampaignFilters {
            statuses: clean(&self.status),
            name,
            tags: clean(&self.tag),
            accounts: clean(&self.account),
        }
    }
}
