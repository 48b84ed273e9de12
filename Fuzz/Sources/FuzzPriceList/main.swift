import Billing
import Foundation
import FuzzSupport

/// A small EC2 offer file to import a fuzzed Savings Plans file against (m5.large and
/// m5.xlarge in us-east-1, the types the seeds' rates name).
let ec2Offer: EC2OfferFile = {
  func product(_ sku: String, _ type: String, _ vcpu: Int) -> String {
    """
    "\(sku)": {"sku": "\(sku)", "productFamily": "Compute Instance", "attributes": {"instanceType": "\(type)",
      "regionCode": "us-east-1", "operatingSystem": "Linux", "tenancy": "Shared", "preInstalledSw": "NA",
      "capacitystatus": "Used", "licenseModel": "No License required", "vcpu": "\(vcpu)", "memory": "\(4 * vcpu) GiB"}}
    """
  }
  func onDemand(_ sku: String, _ price: String) -> String {
    """
    "\(sku)": {"\(sku).JRTCKXETXF": {"priceDimensions": {"\(sku).JRTCKXETXF.6YS6EN2CT7":
      {"unit": "Hrs", "pricePerUnit": {"USD": "\(price)"}}}, "termAttributes": {}}}
    """
  }
  let json = """
    {"offerCode": "AmazonEC2", "version": "1", "publicationDate": "2025-04-04T22:41:22Z",
     "products": {\(product("A", "m5.large", 2)), \(product("B", "m5.xlarge", 4))},
     "terms": {"OnDemand": {\(onDemand("A", "0.096")), \(onDemand("B", "0.192"))}}}
    """
  return try! EC2OfferFile(data: Data(json.utf8), fileName: "ec2.json")
}()

/// Selector bit 0: 0 = an EC2 offer file, 1 = a Savings Plans file. Whatever reads without
/// an error is imported, and the written CSVs must load with the catalog's own loaders and
/// give back the same rows: `capsim prices import` never writes a file capsim cannot read.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPriceList(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  var input = FuzzInput(data, size)
  let selector = input.takeSelector()
  let imported: PriceListImport?
  if selector & 1 == 0 {
    imported = (try? EC2OfferFile(data: input.data, fileName: "ec2.json")).flatMap { try? PriceListImport(ec2: [$0]) }
  } else {
    imported = (try? SavingsPlansOfferFile(data: input.data, fileName: "sp.json")).flatMap {
      try? PriceListImport(ec2: [ec2Offer], savingsPlans: [$0])
    }
  }
  guard let imported else { return 0 }
  do {
    let catalog = try PriceCatalog(pricesCSV: imported.pricesCSV(), fileName: "ec2-prices.csv")
    precondition(catalog.entries == imported.entries, "the written prices CSV reads back differently")
    let rates = try SavingsPlanRates(csv: imported.savingsPlanRatesCSV(), fileName: "savings-plan-rates.csv")
    precondition(rates.discountPercentByKey.count == imported.discounts.count, "a discount was lost in the CSV")
  } catch {
    preconditionFailure("capsim prices import wrote a file capsim cannot load: \(error)")
  }
  return 0
}
