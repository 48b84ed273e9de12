#!/usr/bin/env bash
# Writes the seed corpus, Fuzz/Seeds/<Target>/, from the files capsim ships (scenarios/,
# the bundled price files) and the formats its tests document (CloudWatch, FOCUS, CUR,
# Savings Plans rates). Deterministic: re-running it rewrites the same files. Long data
# files are cut to their first lines, under run.sh's -max_len. Each seed starts with the
# selector bytes its target reads (Sources/FuzzSupport/FuzzInput.swift).
set -euo pipefail
cd "$(dirname "$0")"
root=..
seeds=Seeds
rm -rf "$seeds"
mkdir -p "$seeds"/{FuzzScenario,FuzzDemandCSV,FuzzCloudWatch,FuzzUsage,FuzzPriceCatalog,FuzzSavingsPlanRates,FuzzPriceList,FuzzCron,FuzzDuration,FuzzImportJSON,FuzzShardParts}

# seed <target> <name> <selector-bytes as printf escapes> <text from stdin>
seed() { { printf "$3"; cat; } >"$seeds/$1/$2"; }

# Scenario YAML: every shipped scenario, whole.
for f in "$root"/scenarios/*.yaml; do
  seed FuzzScenario "$(basename "$f")" "" <"$f"
done

# A sweep of a scenario with services (paths into services[NAME] and the shared commitments).
{ cat "$root/scenarios/food-delivery-teams.yaml"; printf '%s\n' 'sweep:' '  axes:' \
  '    - {name: order_target, set: "services[order-api].policies[cpu-55].target", values: [45, 70]}' \
  '    - {name: search_max, set: "services[menu-search].fleet.maxSize", values: [40, 80]}' \
  '    - {name: sp, set: "commitments.savingsPlans[sp-compute].commitmentUSDPerHour", values: [0.2, 0.8]}'; } |
  seed FuzzScenario food-delivery-teams-sweep.yaml ""

# Demand CSV: the head of each shipped trace, under several load options (selector byte:
# gaps | meaning << 2 | zone << 4 | interval << 6).
for f in Twitter_volume_AMZN elb_request_count_8c0756 nyc_taxi; do
  head -n 40 "$root/scenarios/data/$f.csv" | seed FuzzDemandCSV "$f-default.csv" '\x00'
  head -n 40 "$root/scenarios/data/$f.csv" | seed FuzzDemandCSV "$f-seoul-interpolate.csv" '\x15'
done
printf 'timestamp,value\n1767614400,1\n1767614700,2\n1767615300,4.5\n' | seed FuzzDemandCSV epoch-zero-gap.csv '\x06'
printf '\xef\xbb\xbftime,v\r\n2026-03-08T01:30:00,3\r\n2026-03-08T03:00:00,4\r\n2026-03-08T03:30:00,1e3\r\n' |
  seed FuzzDemandCSV new-york-spring-forward.csv '\x21'
printf '2026-11-01 01:00:00-04:00,1\n2026-11-01T01:00:00-05:00,2\n2026-11-01,3\n' | seed FuzzDemandCSV offsets.csv '\xc0'

# CloudWatch JSON (two selector bytes: load options, then statistic | metric id << 3).
cat <<'JSON' | seed FuzzCloudWatch metric-data.json '\x00\x08'
{"MetricDataResults": [
  {"Id": "requests", "Label": "RequestCount",
   "Timestamps": ["2026-01-05T12:10:00+00:00", "2026-01-05T12:05:00+00:00", "2026-01-05T12:00:00+00:00"],
   "Values": [300.0, 200.0, 100.0], "StatusCode": "Complete"},
  {"Id": "errors", "Label": "HTTPCode_Target_5XX_Count",
   "Timestamps": ["2026-01-05T12:10:00Z", "2026-01-05T12:05:00Z"], "Values": [5, 10], "StatusCode": "Complete"}],
 "Messages": []}
JSON
cat <<'JSON' | seed FuzzCloudWatch metric-data-partial.json '\x01\x00'
{"MetricDataResults": [{"Id": "m1", "Timestamps": ["2026-01-05T12:00:00Z", "2026-01-05T12:01:00Z"],
  "Values": [1, 2], "StatusCode": "PartialData"}], "NextToken": "abc", "Messages": []}
JSON
cat <<'JSON' | seed FuzzCloudWatch statistics.json '\x02\x00'
{"Label": "RequestCount", "Datapoints": [
  {"Timestamp": "2026-01-05T12:05:00Z", "Sum": 20.0, "Average": 2.0, "Unit": "Count"},
  {"Timestamp": "2026-01-05T12:00:00Z", "Sum": 10.0, "Average": 1.0, "Unit": "Count"},
  {"Timestamp": "2026-01-05T12:15:00Z", "Sum": 40.0, "Average": 4.0, "Unit": "Count"}]}
JSON
cat <<'JSON' | seed FuzzCloudWatch statistics-maximum.json '\x10\x03'
{"Label": "CPUUtilization", "Datapoints": [
  {"Timestamp": 1767614400, "Maximum": 51.5, "Minimum": 3, "SampleCount": 5, "Unit": "Percent"},
  {"Timestamp": "2026-01-05T12:01:00", "Maximum": 40, "Unit": "Percent"}]}
JSON

# Usage exports: the shipped hourly CSV's head, and FOCUS and CUR rows as the tests use.
head -n 30 "$root/scenarios/data/nyc-taxi-m5-usage.csv" | seed FuzzUsage nyc-taxi-m5-usage.csv '\x00'
cat <<'CSV' | seed FuzzUsage hourly-families.csv '\x01'
timestamp,m5.large,m5.xlarge,c6i
2026-03-02T00:00:00Z,2,1,3
2026-03-02T01:00:00Z,1,0,0.5

2026-03-02T03:00:00+09:00,0,2,1
CSV
cat <<'CSV' | seed FuzzUsage focus.csv '\x00'
ChargePeriodStart,ChargeCategory,PricingCategory,ConsumedQuantity,CommitmentDiscountId,ServiceName,RegionId,SkuId,Tags
2026-03-02T00:00:00Z,Usage,Standard,2,,Amazon Elastic Compute Cloud,ap-northeast-2,BoxUsage:m5.large,"{""team"":""a,b""}"
2026-03-02T00:00:00Z,Usage,Committed,5,ri-1,Amazon Elastic Compute Cloud,ap-northeast-2,BoxUsage:m5.large,{}
2026-03-02T00:00:00Z,Usage,Dynamic,5,,Amazon Elastic Compute Cloud,ap-northeast-2,SpotUsage:m5.large,{}
2026-03-02T01:00:00Z,Purchase,,1,ri-1,Amazon Elastic Compute Cloud,ap-northeast-2,ReservedInstance,{}
2026-03-02T01:00:00Z,Usage,Standard,0.5,,Amazon Elastic Compute Cloud,ap-northeast-2,BoxUsage:m5.2xlarge,{}
CSV
cat <<'CSV' | seed FuzzUsage cur.csv '\x00'
line_item_usage_start_date,line_item_line_item_type,line_item_usage_type,line_item_usage_amount,product_region_code,product_operating_system
2026-03-02 00:00:00,Usage,APN2-BoxUsage:c6i.xlarge,3,ap-northeast-2,Linux
2026-03-02 00:00:00,DiscountedUsage,APN2-BoxUsage:c6i.xlarge,4,ap-northeast-2,Linux
2026-03-02 00:00:00,Usage,APN2-BoxUsage:c6i.xlarge,4,ap-northeast-2,Windows
2026-03-02 02:00:00,Usage,APN2-BoxUsage:c6i.large,1,ap-northeast-2,Linux
CSV

# Price catalog: heads of the bundled files, prices alone and prices + \x01 + Spot Advisor.
resources="$root/Sources/Billing/Resources"
head -n 25 "$resources/ec2-prices.csv" | seed FuzzPriceCatalog prices.csv ''
{ head -n 25 "$resources/ec2-prices.csv"; printf '\x01'; head -n 25 "$resources/spot-interruption.csv"; } |
  seed FuzzPriceCatalog prices-and-spot.csv ''

# AWS Price List files: the test fixtures in the documented shape, minified (selector byte:
# 0 = EC2 offer file, 1 = Savings Plans file).
fixtures="$root/Tests/BillingTests/Fixtures/PriceList"
minify() { python3 -c 'import json, sys; sys.stdout.write(json.dumps(json.load(sys.stdin), separators=(",", ":")))' <"$1"; }
minify "$fixtures/ec2-offer.json" | seed FuzzPriceList ec2-offer.json '\x00'
minify "$fixtures/compute-savings-plans.json" | seed FuzzPriceList compute-savings-plans.json '\x01'
minify "$fixtures/ec2-instance-savings-plans.json" | seed FuzzPriceList ec2-instance-savings-plans.json '\x01'

# Savings Plans rates, as documented in SavingsPlanRates+Loading.swift and the tests.
cat <<'CSV' | seed FuzzSavingsPlanRates rates.csv ''
plan_type,family,region,term,payment,discount_pct,source
compute,m5,,1y,no-upfront,20,example
compute,m5,eu-west-1,1y,no-upfront,25,example
ec2-instance,c5,,3y,all-upfront,60,example
compute,m5,,1y,partial-upfront,25,our Cost Explorer 2025-05
CSV
printf 'family,plan_type,term,payment,discount_pct\r\nm5,compute,3y,all-upfront,61.5\r\n' | seed FuzzSavingsPlanRates reordered.csv ''

# Cron: the shipped scenarios' recurrences, and the grammar's other forms (selector: zone).
grep -ho 'recurrence: "[^"]*"' "$root"/scenarios/*.yaml | sed 's/recurrence: "\(.*\)"/\1/' | sort -u |
  while read -r cron; do printf '%s' "$cron" | seed FuzzCron "$(printf '%s' "$cron" | tr ' */' '_sd')" '\x00'; done
n=0
for cron in '30 10 * * MON-FRI' '*/15 9-17 1,15 JAN-MAR,dec 0,7' '0 2 * * SUN' '5/20 */3 L * 1#2' '0 0 29 2 *'; do
  n=$((n + 1)); printf '%s' "$cron" | seed FuzzCron "form-$n" "\\x0$((n % 4))"
done

# Durations.
for d in 90s 5m 1.5h 28d 2w -30m +0.25d 1e3s; do printf '%s' "$d" | seed FuzzDuration "$d" ''; done

# capsim import: describe-auto-scaling-groups, describe-policies, describe-alarms and
# describe-scheduled-actions output, NUL-separated (scenarios/import/ and its food-delivery
# set, whose groups are cut to the first one to stay under -max_len).
imp="$root/scenarios/import"
{ cat "$imp/groups.json"; printf '\0'; cat "$imp/policies.json"; printf '\0'; cat "$imp/alarms.json"; printf '\0'; cat "$imp/scheduled-actions.json"; } \
  >"$seeds/FuzzImportJSON/orders"
{ cat "$imp/groups-two.json"; printf '\0'; cat "$imp/policies.json"; } >"$seeds/FuzzImportJSON/two-groups"
fd="$imp/food-delivery"
{ python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["AutoScalingGroups"]=d["AutoScalingGroups"][1:]; print(json.dumps(d))' "$fd/groups.json"
  printf '\0'; cat "$fd/policies.json"; printf '\0'; cat "$fd/alarms.json"; printf '\0'; cat "$fd/scheduled-actions.json"; } \
  >"$seeds/FuzzImportJSON/food-delivery"

# capsim merge's part files, made by the capsim this checkout builds (CAPSIM=path to use
# another) with --shard on small scenarios: Seeds-scenarios/ (one day, so a run part stays
# under -max_len; tiny-services has two services, a Savings Plan and a fault, so its run
# items are whole runs and a left-out disruption) and the --emit check's sweep. A seed is
# one part set, its parts NUL-separated, in shard order.
capsim=${CAPSIM:-$root/.build/debug/capsim}
[ -x "$capsim" ] || { echo "seed.sh: $capsim not found: run swift build first (or set CAPSIM)" >&2; exit 1; }
parts=$(mktemp -d)
trap 'rm -rf "$parts"' EXIT
# parts <seed name> <n> <capsim arguments before --shard...>
parts() {
  local name=$1 n=$2
  shift 2
  for i in $(seq 1 "$n"); do
    "$capsim" "$@" --shard "$i/$n" --output "$parts/$name-$i" >/dev/null
    cat "$parts/$name-$i"
    if [ "$i" -lt "$n" ]; then printf '\0'; fi
  done >"$seeds/FuzzShardParts/$name"
}
parts sweep-tiny 1 sweep Seeds-scenarios/tiny.yaml --jobs 1
parts sweep-tiny-3 3 sweep Seeds-scenarios/tiny.yaml --jobs 1
parts sweep-services 2 sweep Seeds-scenarios/tiny-services.yaml --jobs 1
parts sweep-deploy-3 3 sweep "$root/Tests/Fixtures/sweep-deploy/sweep.yaml" --jobs 1
parts run-tiny 2 run Seeds-scenarios/tiny.yaml
parts run-services 2 run Seeds-scenarios/tiny-services.yaml
parts recommend-tiny 2 recommend Seeds-scenarios/tiny-recommend.yaml --targets 50,70 --warmups 300 --paths 2 --forecast-days 2
