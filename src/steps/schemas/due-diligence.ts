/** JSON Schema of the Paxos CustomerDueDiligence object, shared by persons and institutions. */

import type { JsonSchema } from '../define.js';
import { boolean, closedObject, dateTime, sensitive, stringEnum } from './common.js';
import { INDUSTRY_SECTORS } from './identity-enums.js';

export const customerDueDiligenceSchema: JsonSchema = closedObject('Customer due diligence answers.', {
  estimated_yearly_income: stringEnum([
    'INCOME_0_TO_50K', 'INCOME_50K_TO_100K', 'INCOME_100K_TO_250K', 'INCOME_250K_TO_500K', 'INCOME_500K_TO_750K',
    'INCOME_750K_TO_1M', 'INCOME_ABOVE_1M',
  ], 'Yearly income band.'),
  expected_transfer_value: stringEnum([
    'TRANSFER_VALUE_0_TO_25K', 'TRANSFER_VALUE_25K_TO_50K', 'TRANSFER_VALUE_50K_TO_100K', 'TRANSFER_VALUE_100K_TO_250K',
    'TRANSFER_VALUE_250K_TO_500K', 'TRANSFER_VALUE_500K_TO_750K', 'TRANSFER_VALUE_750K_TO_1M', 'TRANSFER_VALUE_1M_TO_2_5M',
    'TRANSFER_VALUE_2_5M_TO_5M', 'TRANSFER_VALUE_ABOVE_5M',
  ], 'Expected transfer value band.'),
  source_of_wealth: stringEnum([
    'INHERITANCE', 'INVESTMENT_GAINS', 'BUSINESS_OWNERSHIP_DIVIDENDS', 'EMPLOYMENT_INCOME', 'REAL_ESTATE', 'OTHER_SOURCE_OF_WEALTH',
  ], 'Main source of wealth.'),
  employment_status: stringEnum([
    'CONTRACTUAL', 'FULL_TIME', 'PART_TIME', 'RETIRED', 'SELF_EMPLOYED', 'STUDENT', 'UNEMPLOYED',
  ], 'Employment status.'),
  employment_industry_sector: stringEnum(INDUSTRY_SECTORS, 'Industry of the employer.'),
  industry_sector: stringEnum(INDUSTRY_SECTORS, 'Industry (institutions).'),
  estimated_net_worth: stringEnum([
    'NET_WORTH_0_TO_100K', 'NET_WORTH_100K_TO_500K', 'NET_WORTH_500K_TO_1M', 'NET_WORTH_1M_TO_2_5M', 'NET_WORTH_2_5M_TO_5M',
    'NET_WORTH_5M_TO_7_5M', 'NET_WORTH_7_5M_TO_10M', 'NET_WORTH_10M_TO_25M', 'NET_WORTH_25M_TO_50M', 'NET_WORTH_OVER_50M',
  ], 'Net worth band.'),
  source_of_funds: stringEnum([
    'SALARY_DISBURSEMENT', 'INHERITANCE_DISTRIBUTION', 'INVESTMENT_RETURNS', 'BUSINESS_DIVIDENDS_PROFITS', 'PROPERTY_SALE',
    'LOAN_DISBURSEMENT', 'SAVINGS_ACCOUNT_WITHDRAWAL', 'GOVERNMENT_BENEFITS',
  ], 'Source of the funds used.'),
  purpose_of_account: stringEnum(['INVESTMENT_TRADING', 'SAVINGS', 'STABLECOIN_PURCHASE_REDEMPTION'], 'Purpose of the account.'),
  merchant_funding_source: stringEnum([
    'BUSINESS_LOANS_FINANCING', 'SALARY_SAVINGS', 'INVESTMENT_GAINS', 'INHERITANCE', 'REAL_ESTATE_INCOME',
    'NON_PROFIT_SOURCES', 'OTHER_BUSINESS_INCOME',
  ], 'Funding source of a merchant.'),
  customer_regions: {
    type: 'array',
    items: stringEnum(['US_CANADA', 'MEXICO_CENTRAL_AMERICA', 'SOUTH_AMERICA', 'EUROPE', 'ASIA', 'AFRICA', 'OCEANIA'], 'A region.'),
    description: 'Regions the customers are in.',
  },
  aliases: sensitive({ type: 'array', items: { type: 'string' }, description: 'Other names the customer uses.' }),
  has_underlying_trust_structure: boolean('Whether a trust structure sits underneath.'),
  has_nominee_shareholders: boolean('Whether nominee shareholders exist.'),
  is_publicly_traded: boolean('Whether it is publicly traded.'),
  created_at: dateTime('When the answers were collected.'),
});
