#!/usr/bin/env python3
"""Writes a large EC2 offer file in the documented Price List shape, to measure how fast
`capsim prices import` reads one (docs/prices.md, "Speed"). Deterministic: the same
arguments write the same bytes.

    python3 Benchmarks/price-list/generate-ec2-offer.py /tmp/ec2-big.json --products 60000

Each instance type gets the product variants a real region file has (operating systems,
tenancies, pre-installed software, capacity status), so most products are filtered out as
in a real file; Linux/shared/used products carry seven Reserved terms each.
"""
import argparse
import json

OSES = [("Linux", "RunInstances", "NA"), ("Windows", "RunInstances:0002", "NA"), ("RHEL", "RunInstances:0010", "NA"),
        ("SUSE", "RunInstances:000g", "NA"), ("Linux", "RunInstances:0004", "SQL Std"), ("Windows", "RunInstances:0102", "SQL Ent")]
TENANCIES = ["Shared", "Dedicated", "Host"]
CAPACITY = ["Used", "UnusedCapacityReservation", "AllocatedCapacityReservation"]
RI_TERMS = [("1yr", "standard", "No Upfront"), ("3yr", "standard", "No Upfront"), ("1yr", "convertible", "No Upfront"),
            ("3yr", "convertible", "No Upfront"), ("1yr", "standard", "All Upfront"), ("3yr", "convertible", "All Upfront"),
            ("1yr", "standard", "Partial Upfront")]


def sku(n):
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    text = ""
    for _ in range(16):
        text += alphabet[n % len(alphabet)]
        n = n // len(alphabet) + 7919 * (len(text) + 1)
    return text


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("output")
    parser.add_argument("--products", type=int, default=60000)
    args = parser.parse_args()
    sizes = [("large", 2, 8, 4), ("xlarge", 4, 16, 8), ("2xlarge", 8, 32, 16), ("4xlarge", 16, 64, 32),
             ("8xlarge", 32, 128, 64), ("12xlarge", 48, 192, 96), ("16xlarge", 64, 256, 128), ("24xlarge", 96, 384, 192)]
    variants = [(o, t, c) for o in OSES for t in TENANCIES for c in CAPACITY]
    products, on_demand, reserved = {}, {}, {}
    n = 0
    family = 0
    while n < args.products:
        for size, vcpu, memory, factor in sizes:
            itype = f"f{family}.{size}"
            for (os_name, operation, software), tenancy, capacity in variants:
                if n >= args.products:
                    break
                code = sku(n)
                n += 1
                products[code] = {"sku": code, "productFamily": "Compute Instance", "attributes": {
                    "servicecode": "AmazonEC2", "location": "US East (N. Virginia)", "locationType": "AWS Region",
                    "instanceType": itype, "currentGeneration": "Yes", "instanceFamily": "General purpose",
                    "vcpu": str(vcpu), "physicalProcessor": "Intel Xeon Platinum 8175", "clockSpeed": "3.1 GHz",
                    "memory": f"{memory:,} GiB", "storage": "EBS only", "networkPerformance": "Up to 10 Gigabit",
                    "processorArchitecture": "64-bit", "tenancy": tenancy, "operatingSystem": os_name,
                    "licenseModel": "No License required", "usagetype": f"BoxUsage:{itype}", "operation": operation,
                    "availabilityzone": "NA", "capacitystatus": capacity, "classicnetworkingsupport": "false",
                    "dedicatedEbsThroughput": "Up to 2120 Mbps", "ecu": "10", "enhancedNetworkingSupported": "Yes",
                    "gpuMemory": "NA", "intelAvxAvailable": "Yes", "intelAvx2Available": "Yes",
                    "intelTurboAvailable": "Yes", "marketoption": "OnDemand", "normalizationSizeFactor": str(factor),
                    "preInstalledSw": software, "processorFeatures": "Intel AVX; Intel AVX2; Intel AVX512; Intel Turbo",
                    "regionCode": "us-east-1", "servicename": "Amazon Elastic Compute Cloud",
                    "vpcnetworkingsupport": "true"}}
                price = f"{0.024 * vcpu * (1 + n % 7 / 10):.10f}"
                on_demand[code] = {f"{code}.JRTCKXETXF": {
                    "offerTermCode": "JRTCKXETXF", "sku": code, "effectiveDate": "2025-04-01T00:00:00Z",
                    "priceDimensions": {f"{code}.JRTCKXETXF.6YS6EN2CT7": {
                        "rateCode": f"{code}.JRTCKXETXF.6YS6EN2CT7", "description": f"${price} per On Demand {itype} Instance Hour",
                        "beginRange": "0", "endRange": "Inf", "unit": "Hrs", "pricePerUnit": {"USD": price}, "appliesTo": []}},
                    "termAttributes": {}}}
                if tenancy != "Host":
                    terms = {}
                    for index, (length, offering, option) in enumerate(RI_TERMS):
                        term_code = sku(10_000_000 + index)[:10]
                        dims = {}
                        if option != "No Upfront":
                            dims[f"{code}.{term_code}.2TG2D8R56U"] = {
                                "rateCode": f"{code}.{term_code}.2TG2D8R56U", "description": "Upfront Fee", "unit": "Quantity",
                                "pricePerUnit": {"USD": f"{100 * vcpu + index}"}, "appliesTo": []}
                        hourly = "0.0000000000" if option == "All Upfront" else f"{0.015 * vcpu:.10f}"
                        dims[f"{code}.{term_code}.6YS6EN2CT7"] = {
                            "rateCode": f"{code}.{term_code}.6YS6EN2CT7", "description": f"{os_name} {itype} reserved instance applied",
                            "beginRange": "0", "endRange": "Inf", "unit": "Hrs", "pricePerUnit": {"USD": hourly}, "appliesTo": []}
                        terms[f"{code}.{term_code}"] = {
                            "offerTermCode": term_code, "sku": code, "effectiveDate": "2024-11-01T00:00:00Z", "priceDimensions": dims,
                            "termAttributes": {"LeaseContractLength": length, "OfferingClass": offering, "PurchaseOption": option}}
                    reserved[code] = terms
        family += 1
    document = {"formatVersion": "v1.0", "disclaimer": "Generated by capsim's Benchmarks/price-list/generate-ec2-offer.py.",
                "offerCode": "AmazonEC2", "version": "20250404224122", "publicationDate": "2025-04-04T22:41:22Z",
                "products": products, "terms": {"OnDemand": on_demand, "Reserved": reserved}}
    with open(args.output, "w") as out:
        json.dump(document, out, indent=2)


if __name__ == "__main__":
    main()
