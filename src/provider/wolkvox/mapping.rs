//! Where every figure Wolkvox prints comes from (product.md, "What the numbers mean"), beside
//! the code that reads it: chat_14 rows for `clicks`, chat_15 for `clicks summary`, and
//! campaign_9 record statuses for the campaign commands and `stats` (vendors.md Part 1
//! "Wolkvox", Part 2 §4.2 and §4.3).
//!
//! The declaration is what the conversion reads: chat_14 and chat_15 rows through
//! [`crate::provider::read::Reader`] at these paths, and campaign_9 rows with the typed decoder
//! of `wire.rs`, whose field names are taken from the `campaigns details` rows below. The
//! derived counts name the statuses [`super::derive`] counts (its tests hold the two together).

use crate::provider::Operation;
use crate::provider::mapping::FieldSource;

const LIST: Operation = Operation::CampaignsList;
const SUMMARY: Operation = Operation::CampaignsSummary;
const DETAILS: Operation = Operation::CampaignsDetails;
const STATS: Operation = Operation::Stats;
const BY_CAMPAIGN: Operation = Operation::StatsByCampaign;
const TOTAL_ROW: Operation = Operation::StatsTotal;
const CLICKS: Operation = Operation::Clicks;
const CLICK_TOTALS: Operation = Operation::ClicksSummary;

/// The formula of `sent`: the statuses that left the platform.
pub(super) const SENT: &str = "count(status in accepted, submitted, delivered, read)";
/// The formula of `delivered`: a read message was delivered first.
pub(super) const DELIVERED: &str = "count(status in delivered, read)";
/// The formula of `read`.
pub(super) const READ: &str = "count(status in read)";
/// The formula of `errors`.
pub(super) const ERRORS: &str = "count(status in failed)";
/// The formula of `accepted`.
pub(super) const ACCEPTED: &str = "count(status in accepted)";
/// The formula of `submitted`.
pub(super) const SUBMITTED: &str = "count(status in submitted)";
/// The formula of `other`.
pub(super) const OTHER: &str = "count(status not in accepted, submitted, delivered, read, failed)";
/// The formula of `total`.
pub(super) const TOTAL: &str = "count(data[])";

const SENT_NOTE: &str = "Wolkvox statuses accepted (Cloud API connectors) and submitted (Gupshup connectors) mean the message left the platform with its delivery not confirmed: they are counted as sent, with delivered and read; statuses are compared regardless of case";
const DELIVERED_NOTE: &str = "read records count as delivered (read implies delivered)";
const ERRORS_NOTE: &str =
    "failed records (their errors field says why); sent + errors = total unless other > 0";
const ENGAGED_NOTE: &str = "campaign_9 records carry no reply or click, and the chat_14 clicks are not tied to a campaign's records: Wolkvox gives no engaged figure";
const NO_TYPE: &str = "campaign_9 records carry no execution type (--type is refused)";
const LOCAL_TIME: &str =
    "a wall-clock time of the operation's zone (the profile's timezone, else UTC), printed in UTC";

/// A row of `campaigns summary`'s, for the rows of another command counted the same way.
const fn as_in(op: Operation, summary: FieldSource) -> FieldSource {
    FieldSource { op, ..summary }
}

/// The counts of a summary-shaped row (after id and name), as campaign_9 records give them.
const COUNTED: [FieldSource; 13] = [
    FieldSource::absent(SUMMARY, "type").note(NO_TYPE),
    FieldSource::derived(SUMMARY, "total", TOTAL).note(
        "counts every record status (accepted, submitted, delivered, read, failed and any other word) among the records sent in the range: not the contacts targeted by the campaign",
    ),
    FieldSource::derived(SUMMARY, "sent", SENT).note(SENT_NOTE),
    FieldSource::derived(SUMMARY, "delivered", DELIVERED).note(DELIVERED_NOTE),
    FieldSource::derived(SUMMARY, "read", READ),
    FieldSource::absent(SUMMARY, "engaged").note(ENGAGED_NOTE),
    FieldSource::derived(SUMMARY, "errors", ERRORS).note(ERRORS_NOTE),
    FieldSource::derived(SUMMARY, "read_rate", "read / delivered")
        .note("computed by wa-analytics; null when nothing was delivered"),
    FieldSource::absent(SUMMARY, "engagement_rate").note("no engaged figure to divide"),
    FieldSource::derived(SUMMARY, "error_rate", "errors / total")
        .note("computed by wa-analytics; null when there are no records"),
    FieldSource::derived(SUMMARY, "accepted", ACCEPTED)
        .note("left the platform, delivery not confirmed (Cloud API connectors); part of sent"),
    FieldSource::derived(SUMMARY, "submitted", SUBMITTED)
        .note("left the platform, delivery not confirmed (Gupshup connectors); part of sent"),
    FieldSource::derived(SUMMARY, "other", OTHER).note(
        "records with a status word this version does not know (or none): in total, in neither sent nor errors",
    ),
];

/// Wolkvox's mapping, in each command's output order.
pub(super) const MAPPING: &[FieldSource] = &[
    // campaigns list: every campaign with records in the range (campaign_9, campaign_id=all).
    FieldSource::native(LIST, "id", "data[].campaing_id").note(
        "the campaigns are those with campaign_9 records in the range (campaign_id=all); campaing_id is the Postman docs' spelling, campaign_id (the web docs') is read too",
    ),
    FieldSource::derived(LIST, "name", "campaing_id").note(
        "Wolkvox reports no campaign names: the name repeats the id, in campaigns list and campaigns summary alike",
    ),
    FieldSource::absent(LIST, "type").note(NO_TYPE),
    FieldSource::absent(LIST, "status")
        .note("campaign_9 reports each record's status, not the campaign's"),
    FieldSource::absent(LIST, "created_at")
        .note("campaign_9 records carry no creation time of their campaign"),
    FieldSource::derived(LIST, "sent_at", "min(date)").note(
        "the first send among the campaign's records in the range; date is a wall-clock time of the operation's zone (the profile's timezone, else UTC), printed in UTC",
    ),
    FieldSource::derived(LIST, "total_contacts", TOTAL).note(
        "the campaign's records sent in the range, whatever their status: not the size of its whole contact list",
    ),
    FieldSource::derived(LIST, "last_sent_at", "max(date)")
        .note("the last send among the campaign's records in the range; date as in sent_at"),
    // campaigns summary: campaign_9 with campaign_id=ID (or all), counted by status; without
    // CAMPAIGN, campaign_id=all counted per campaign.
    FieldSource::derived(SUMMARY, "id", "campaign_id asked for, else data[].campaing_id").note(
        "the campaign_id of the campaign_9 request: the campaign's numeric id, or all for every campaign; without CAMPAIGN, one reading of campaign_id=all (the requests campaigns list makes) counted per campaign, each row with its records' campaing_id",
    ),
    FieldSource::derived(SUMMARY, "name", "the id").note(
        "Wolkvox reports no campaign names: the name repeats the id, as campaigns list gives it",
    ),
    COUNTED[0],
    COUNTED[1],
    COUNTED[2],
    COUNTED[3],
    COUNTED[4],
    COUNTED[5],
    COUNTED[6],
    COUNTED[7],
    COUNTED[8],
    COUNTED[9],
    COUNTED[10],
    COUNTED[11],
    COUNTED[12],
    // campaigns details/export: campaign_9 rows, one per record.
    FieldSource::native(DETAILS, "contact", "data[].telephone")
        .note("exactly as Wolkvox sends it (digits, with or without +; a number is read as its digits)"),
    FieldSource::absent(DETAILS, "name").note("campaign_9 records carry no contact name"),
    FieldSource::derived(
        DETAILS,
        "status",
        "status: accepted, submitted → sent; delivered; read; failed → error",
    )
    .note("regardless of case; another word is null here and stays visible in vendor_status"),
    FieldSource::native(DETAILS, "sent_at", "data[].date").note(LOCAL_TIME),
    FieldSource::absent(DETAILS, "delivered_at")
        .note("campaign_9 gives only the time of the last status change (last_update)"),
    FieldSource::absent(DETAILS, "read_at")
        .note("campaign_9 gives only the time of the last status change (last_update)"),
    FieldSource::absent(DETAILS, "engaged").note(ENGAGED_NOTE),
    FieldSource::absent(DETAILS, "response").note("campaign_9 records carry no reply"),
    FieldSource::native(DETAILS, "error", "data[].errors").note("an empty errors field is null"),
    FieldSource::native(DETAILS, "campaign_id", "data[].campaing_id").note(
        "campaing_id is the Postman docs' spelling; campaign_id (the web docs') is read too",
    ),
    FieldSource::native(DETAILS, "vendor_status", "data[].status"),
    FieldSource::native(DETAILS, "last_update", "data[].last_update").note(LOCAL_TIME),
    // stats: campaign_9 rows of every campaign (campaign_id=all), counted per day or week.
    FieldSource::derived(STATS, "period", "day of date (week from Monday)").note(
        "each record is counted in the day (or the week from Monday) of its date, a wall-clock time of the operation's zone (the profile's timezone, else UTC), with days cut in --tz, else the profile's timezone, else UTC; every period of the range is printed, quiet ones as zeros",
    ),
    FieldSource::derived(STATS, "sent", SENT).note(SENT_NOTE),
    FieldSource::derived(STATS, "delivered", DELIVERED).note(DELIVERED_NOTE),
    FieldSource::derived(STATS, "read", READ),
    FieldSource::absent(STATS, "engaged").note(ENGAGED_NOTE),
    FieldSource::derived(STATS, "errors", ERRORS).note(
        "failed records; a record with another status word is in none of the counts",
    ),
    FieldSource::derived(STATS, "period_start", "midnight of period").note(
        "the period's first midnight in --tz, else the profile's timezone, else UTC (wa-analytics cuts Wolkvox's days)",
    ),
    FieldSource::derived(STATS, "period_end", "midnight after period").note(
        "the next period's start: one day (a week for --frequency weekly) later, in the same zone",
    ),
    // stats --by-campaign: campaigns summary without CAMPAIGN.
    FieldSource::derived(BY_CAMPAIGN, "id", "data[].campaing_id").note(
        "one row per campaign with campaign_9 records in the range: one reading of campaign_id=all counted per campaign, as campaigns summary without CAMPAIGN; campaing_id is the Postman docs' spelling, campaign_id (the web docs') is read too",
    ),
    FieldSource::derived(BY_CAMPAIGN, "name", "data[].campaing_id")
        .note("Wolkvox reports no campaign names: the name repeats the id"),
    as_in(BY_CAMPAIGN, COUNTED[0]),
    as_in(BY_CAMPAIGN, COUNTED[1]),
    as_in(BY_CAMPAIGN, COUNTED[2]),
    as_in(BY_CAMPAIGN, COUNTED[3]),
    as_in(BY_CAMPAIGN, COUNTED[4]),
    as_in(BY_CAMPAIGN, COUNTED[5]),
    as_in(BY_CAMPAIGN, COUNTED[6]),
    as_in(BY_CAMPAIGN, COUNTED[7]),
    as_in(BY_CAMPAIGN, COUNTED[8]),
    as_in(BY_CAMPAIGN, COUNTED[9]),
    as_in(BY_CAMPAIGN, COUNTED[10]),
    as_in(BY_CAMPAIGN, COUNTED[11]),
    as_in(BY_CAMPAIGN, COUNTED[12]),
    // stats --total: campaign_id=all counted over the range.
    FieldSource::absent(TOTAL_ROW, "id").note("the totals of every campaign of the range"),
    FieldSource::absent(TOTAL_ROW, "name").note("the totals of every campaign of the range"),
    as_in(TOTAL_ROW, COUNTED[0]),
    as_in(TOTAL_ROW, COUNTED[1]),
    as_in(TOTAL_ROW, COUNTED[2]),
    as_in(TOTAL_ROW, COUNTED[3]),
    as_in(TOTAL_ROW, COUNTED[4]),
    as_in(TOTAL_ROW, COUNTED[5]),
    as_in(TOTAL_ROW, COUNTED[6]),
    as_in(TOTAL_ROW, COUNTED[7]),
    as_in(TOTAL_ROW, COUNTED[8]),
    as_in(TOTAL_ROW, COUNTED[9]),
    as_in(TOTAL_ROW, COUNTED[10]),
    as_in(TOTAL_ROW, COUNTED[11]),
    as_in(TOTAL_ROW, COUNTED[12]),
    // clicks: chat_14 rows.
    FieldSource::native(CLICKS, "chat_id", "data[].chat_id")
        .note("a number or a text, printed as text"),
    FieldSource::native(CLICKS, "source_url", "data[].source_url"),
    FieldSource::native(CLICKS, "source_type", "data[].source_type"),
    FieldSource::native(CLICKS, "source_id", "data[].source_id")
        .note("a number or a text, printed as text"),
    FieldSource::native(CLICKS, "rp_id", "data[].rp_id")
        .note("a number or a text, printed as text"),
    FieldSource::native(CLICKS, "agent_id", "data[].agent_id")
        .note("empty when the chatbot answered: printed as null"),
    FieldSource::native(CLICKS, "media_type", "data[].media_type"),
    FieldSource::native(CLICKS, "media_url", "data[].media_url"),
    FieldSource::native(CLICKS, "date", "data[].date").note(LOCAL_TIME),
    FieldSource::native(CLICKS, "cod_act", "data[].cod_act").note("an empty code is null"),
    // clicks summary: chat_15's one row per window of at most 31 days, summed.
    FieldSource::native(CLICK_TOTALS, "ad_chatbot", "data[].ad_chatbot")
        .note("summed over the range's windows of at most 31 days; a string of digits is read as a count"),
    FieldSource::native(CLICK_TOTALS, "ad_agents", "data[].ad_agents")
        .note("summed over the range's windows of at most 31 days; a string of digits is read as a count"),
    FieldSource::native(CLICK_TOTALS, "post_chatbot", "data[].post_chatbot")
        .note("summed over the range's windows of at most 31 days; a string of digits is read as a count"),
    FieldSource::native(CLICK_TOTALS, "post_agents", "data[].post_agents")
        .note("summed over the range's windows of at most 31 days; a string of digits is read as a count"),
    FieldSource::native(CLICK_TOTALS, "total_chatbot", "data[].total_chatbot")
        .note("Wolkvox's own total (not recomputed), summed over the range's windows"),
    FieldSource::native(CLICK_TOTALS, "total_agents", "data[].total_agents")
        .note("Wolkvox's own total (not recomputed), summed over the range's windows"),
];
