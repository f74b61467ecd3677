//! The unified views Wolkvox has no report for, counted honestly from campaign_9 record statuses
//! (vendors.md Part 2 §4.3 and §6.5: `accepted/submitted/delivered/read/failed`): a campaign's
//! summary, the campaigns of a range, every campaign's summary at once, and sends per day or
//! week.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};

use crate::output::Value;
use crate::provider::figures::ratio;
use crate::provider::{
    Campaign, CampaignSummary, Frequency, Operation, ProviderError, StatsBucket,
};
use crate::time::{DateRange, Zone};

use super::wire::{RecordField, RecordStatus, WireRecord, local_time, unreadable};

/// Record counts by status.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Tally {
    total: u64,
    accepted: u64,
    submitted: u64,
    delivered: u64,
    read: u64,
    failed: u64,
    other: u64,
}

impl Tally {
    /// Counts one record.
    pub fn add(&mut self, status: RecordStatus) {
        self.total += 1;
        let n = match status {
            RecordStatus::Accepted => &mut self.accepted,
            RecordStatus::Submitted => &mut self.submitted,
            RecordStatus::Delivered => &mut self.delivered,
            RecordStatus::Read => &mut self.read,
            RecordStatus::Failed => &mut self.failed,
            RecordStatus::Other => &mut self.other,
        };
        *n += 1;
    }

    /// Records that left the platform: every status but failed (and unknown words).
    fn sent(&self) -> u64 {
        self.accepted + self.submitted + self.delivered + self.read
    }

    /// A read message was delivered first.
    fn delivered(&self) -> u64 {
        self.delivered + self.read
    }

    /// The summary of campaign `id` (or `all`): Wolkvox gives no names, types or engagement;
    /// the name is the id, as `campaigns list` gives it (one rule for both).
    pub fn into_summary(self, id: &str) -> CampaignSummary {
        let delivered = self.delivered();
        CampaignSummary {
            id: Some(id.to_string()),
            name: Some(campaign_name(id)),
            campaign_type: None,
            total: Some(self.total),
            sent: Some(self.sent()),
            delivered: Some(delivered),
            read: Some(self.read),
            engaged: None,
            errors: Some(self.failed),
            read_rate: ratio(Some(self.read), Some(delivered)),
            engagement_rate: None,
            error_rate: ratio(Some(self.failed), Some(self.total)),
            extra: vec![
                Value::Int(self.accepted as i64),
                Value::Int(self.submitted as i64),
                Value::Int(self.other as i64),
            ],
        }
    }

    fn into_bucket(self, period: NaiveDate, frequency: Frequency, zone: &Zone) -> StatsBucket {
        StatsBucket {
            sent: Some(self.sent()),
            delivered: Some(self.delivered()),
            read: Some(self.read),
            engaged: None,
            errors: Some(self.failed),
            ..StatsBucket::new(period, frequency, zone)
        }
    }
}

/// A campaign's name: Wolkvox reports none, so its id stands in, in the list and the summary
/// alike (the mapping says so).
fn campaign_name(id: &str) -> String {
    id.to_string()
}

/// The campaigns seen in the records of a range, in the order of their first send.
#[derive(Debug, Default)]
pub(super) struct CampaignList {
    order: Vec<CampaignSeen>,
    index: HashMap<String, usize>,
}

#[derive(Debug)]
struct CampaignSeen {
    id: String,
    records: u64,
    first: Option<DateTime<Utc>>,
    last: Option<DateTime<Utc>>,
}

impl CampaignList {
    /// Counts one record: its campaign is its key; without a send date, the campaign's first
    /// and last sends are what its other records say (null if none does).
    pub fn add(&mut self, record: &WireRecord, zone: &Zone) -> Result<(), ProviderError> {
        const OP: Operation = Operation::CampaignsList;
        record.check(
            OP,
            &[RecordField::CampaignId],
            &[(RecordField::Date, "sent_at and last_sent_at")],
        )?;
        let Some(id) = record.campaign_id.clone() else {
            let why = format!(
                "a campaign_9 record has an empty {}",
                RecordField::CampaignId.path()
            );
            return Err(unreadable(OP, &why, ""));
        };
        let sent = local_time(RecordField::Date.path(), record.date.as_deref(), zone)
            .map_err(|why| unreadable(OP, &why, ""))?;
        let k = *self.index.entry(id.clone()).or_insert_with(|| {
            self.order.push(CampaignSeen {
                id,
                records: 0,
                first: None,
                last: None,
            });
            self.order.len() - 1
        });
        let seen = &mut self.order[k];
        seen.records += 1;
        if let Some(t) = sent {
            seen.first = Some(seen.first.map_or(t, |f| f.min(t)));
            seen.last = Some(seen.last.map_or(t, |l| l.max(t)));
        }
        Ok(())
    }

    /// One campaign per id; the id stands in for the name Wolkvox does not report.
    pub fn into_campaigns(self) -> Vec<Campaign> {
        self.order
            .into_iter()
            .map(|c| Campaign {
                name: campaign_name(&c.id),
                id: Some(c.id),
                campaign_type: None,
                status: None,
                created_at: None,
                sent_at: c.first,
                total_contacts: Some(c.records),
                extra: vec![c.last.map_or(Value::Null, Value::Time)],
            })
            .collect()
    }
}

/// Every campaign's summary from one reading of campaign_9 `all`: the records grouped by their
/// campaign and counted as [`Tally`] counts one campaign's (so each equals the summary of that
/// id), in the order [`CampaignList`] lists them (first seen first).
#[derive(Debug, Default)]
pub(super) struct Summaries {
    order: Vec<(String, Tally)>,
    index: HashMap<String, usize>,
}

impl Summaries {
    /// Counts one record for its campaign: without its campaign or its status it cannot be.
    pub fn add(&mut self, record: &WireRecord) -> Result<(), ProviderError> {
        const OP: Operation = Operation::CampaignsSummary;
        record.check(OP, &[RecordField::CampaignId, RecordField::Status], &[])?;
        let Some(id) = record.campaign_id.as_deref() else {
            let why = format!(
                "a campaign_9 record has an empty {}",
                RecordField::CampaignId.path()
            );
            return Err(unreadable(OP, &why, ""));
        };
        let k = match self.index.get(id) {
            Some(&k) => k,
            None => {
                self.index.insert(id.to_string(), self.order.len());
                self.order.push((id.to_string(), Tally::default()));
                self.order.len() - 1
            }
        };
        self.order[k]
            .1
            .add(RecordStatus::parse(record.status.as_deref()));
        Ok(())
    }

    /// One summary per campaign, first seen first.
    pub fn into_summaries(self) -> Vec<CampaignSummary> {
        self.order
            .into_iter()
            .map(|(id, tally)| tally.into_summary(&id))
            .collect()
    }
}

/// Sends per period: a record's send date is a wall-clock time of the operation's zone; its
/// day is that instant's day in the zone that cuts the days (`--tz`, else the profile's
/// timezone, else UTC).
#[derive(Debug)]
pub(super) struct Periods {
    frequency: Frequency,
    /// The zone that cuts the days.
    zone: Zone,
    /// The operation's zone: the records' wall-clock times are its local times.
    operation: Zone,
    buckets: BTreeMap<NaiveDate, Tally>,
}

impl Periods {
    /// Every period of the range in `zone`, empty ones included, so a quiet day shows as zeros.
    pub fn new(range: &DateRange, zone: &Zone, operation: &Zone, frequency: Frequency) -> Periods {
        let mut periods = Periods {
            frequency,
            zone: *zone,
            operation: *operation,
            buckets: BTreeMap::new(),
        };
        let first = zone.to_local(range.start).date();
        let last = zone
            .to_local((range.end - Duration::seconds(1)).max(range.start))
            .date();
        let mut day = periods.period_of(first);
        while day <= last {
            periods.buckets.insert(day, Tally::default());
            day += Duration::days(match frequency {
                Frequency::Daily => 1,
                Frequency::Weekly => 7,
            });
        }
        periods
    }

    /// The first day of the period of `day` (weeks start on Monday).
    fn period_of(&self, day: NaiveDate) -> NaiveDate {
        match self.frequency {
            Frequency::Daily => day,
            Frequency::Weekly => day - Duration::days(day.weekday().num_days_from_monday().into()),
        }
    }

    /// Counts one record in the period of its send date; a record without its date or status
    /// cannot be counted.
    pub fn add(&mut self, record: &WireRecord) -> Result<(), ProviderError> {
        const OP: Operation = Operation::Stats;
        record.check(OP, &[RecordField::Date, RecordField::Status], &[])?;
        let path = RecordField::Date.path();
        let sent = local_time(path, record.date.as_deref(), &self.operation)
            .map_err(|why| unreadable(OP, &why, ""))?
            .ok_or_else(|| {
                unreadable(OP, &format!("a campaign_9 record has an empty {path}"), "")
            })?;
        let period = self.period_of(self.zone.to_local(sent).date());
        self.buckets
            .entry(period)
            .or_default()
            .add(RecordStatus::parse(record.status.as_deref()));
        Ok(())
    }

    /// The buckets, oldest first.
    pub fn into_buckets(self) -> Vec<StatsBucket> {
        self.buckets
            .into_iter()
            .map(|(period, t)| t.into_bucket(period, self.frequency, &self.zone))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_counts_read_as_delivered_and_sent_and_rates_are_fractions() {
        let mut t = Tally::default();
        for s in [
            RecordStatus::Accepted,
            RecordStatus::Submitted,
            RecordStatus::Delivered,
            RecordStatus::Read,
            RecordStatus::Read,
            RecordStatus::Failed,
            RecordStatus::Other,
        ] {
            t.add(s);
        }
        let s = t.into_summary("3001");
        assert_eq!(
            (s.total, s.sent, s.delivered, s.read, s.errors),
            (Some(7), Some(5), Some(3), Some(2), Some(1))
        );
        assert_eq!(s.name.as_deref(), Some("3001"), "the name the list gives");
        assert_eq!(s.read_rate, Some(0.6667));
        assert_eq!(s.error_rate, Some(0.1429));
        assert_eq!(s.engagement_rate, None);
        assert_eq!(s.extra, [Value::Int(1), Value::Int(1), Value::Int(1)]);
        // Over nothing delivered and no records, the rates are null, not 0.
        let none = Tally::default().into_summary("all");
        assert_eq!((none.read_rate, none.error_rate), (None, None));
        let mut failed = Tally::default();
        failed.add(RecordStatus::Failed);
        let failed = failed.into_summary("3001");
        assert_eq!((failed.read_rate, failed.error_rate), (None, Some(1.0)));
    }

    fn record(date: &str, status: &str) -> WireRecord {
        of_campaign("3001", date, status)
    }

    fn of_campaign(id: &str, date: &str, status: &str) -> WireRecord {
        serde_json::from_value(serde_json::json!({
            "campaing_id": id, "telephone": "573001", "status": status, "errors": "",
            "date": date, "last_update": date
        }))
        .unwrap()
    }

    #[test]
    fn every_campaigns_summary_is_its_own_tally_in_the_order_of_the_list() {
        let records = [
            of_campaign("3002", "2026-04-01 09:00:00", "read"),
            of_campaign("3001", "2026-04-01 10:00:00", "failed"),
            of_campaign("3002", "2026-04-01 11:00:00", "accepted"),
            of_campaign("3001", "2026-04-01 12:00:00", "delivered"),
            of_campaign("3002", "2026-04-01 13:00:00", "bounced"),
        ];
        let mut all = Summaries::default();
        let mut list = CampaignList::default();
        for r in &records {
            all.add(r).unwrap();
            list.add(r, &Zone::UTC).unwrap();
        }
        let summaries = all.into_summaries();
        let listed: Vec<_> = list.into_campaigns().into_iter().map(|c| c.id).collect();
        let ids: Vec<_> = summaries.iter().map(|s| s.id.clone()).collect();
        assert_eq!(ids, listed, "the list's order");
        for s in &summaries {
            let mut one = Tally::default();
            for r in records.iter().filter(|r| r.campaign_id == s.id) {
                one.add(RecordStatus::parse(r.status.as_deref()));
            }
            assert_eq!(s, &one.into_summary(s.id.as_deref().unwrap()));
        }
        assert_eq!(
            (summaries[0].total, summaries[0].sent, summaries[0].read),
            (Some(3), Some(2), Some(1))
        );
        let mut nameless = Summaries::default();
        let e = nameless
            .add(&serde_json::from_value(serde_json::json!({"status": "read"})).unwrap())
            .unwrap_err();
        assert_eq!(e.exit_code(), 6);
    }

    #[test]
    fn a_record_is_counted_in_the_day_of_its_instant_in_the_zone_that_cuts_the_days() {
        use chrono::TimeZone;
        let bogota = Zone::parse("America/Bogota").unwrap();
        let day = |d| NaiveDate::from_ymd_opt(2026, 4, d).unwrap();
        // April 1-2 in UTC; the records' times are Bogota wall-clock times.
        let range = DateRange::new(
            Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2026, 4, 3, 0, 0, 0).unwrap(),
        )
        .unwrap();
        let cut = |zone: &Zone| {
            let mut p = Periods::new(&range, zone, &bogota, Frequency::Daily);
            // 20:00 in Bogota is 01:00Z the next day.
            p.add(&record("2026-04-01 20:00:00", "read")).unwrap();
            p.add(&record("2026-04-01 10:00:00", "failed")).unwrap();
            p.into_buckets()
                .into_iter()
                .map(|b| (b.period, b.sent, b.errors, b.period_start.to_rfc3339()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            cut(&Zone::UTC),
            [
                (
                    day(1),
                    Some(0),
                    Some(1),
                    "2026-04-01T00:00:00+00:00".to_string()
                ),
                (
                    day(2),
                    Some(1),
                    Some(0),
                    "2026-04-02T00:00:00+00:00".to_string()
                ),
            ]
        );
        // In Bogota, the range's days run from March 31 19:00 to April 2 19:00 local.
        assert_eq!(
            cut(&bogota),
            [
                (
                    day(1).pred_opt().unwrap(),
                    Some(0),
                    Some(0),
                    "2026-03-31T05:00:00+00:00".to_string()
                ),
                (
                    day(1),
                    Some(1),
                    Some(1),
                    "2026-04-01T05:00:00+00:00".to_string()
                ),
                (
                    day(2),
                    Some(0),
                    Some(0),
                    "2026-04-02T05:00:00+00:00".to_string()
                ),
            ]
        );
    }
}
