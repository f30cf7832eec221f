// The Paxos onboarding guide's identity request, shared by the emulator, step and client tests.

/** The person of the Paxos onboarding guide, field for field (cip_id included). */
export const guideIdentityBody = () => ({
  ref_id: '{your_end_user_ref_id}',
  person_details: {
    verifier_type: 'PASSTHROUGH',
    passthrough_verifier_type: 'JUMIO',
    passthrough_verified_at: '2021-06-16T09:28:14Z',
    passthrough_verification_id: '775300ef-4edb-47b9-8ec4-f45fe3cbf41f',
    passthrough_verification_status: 'APPROVED',
    passthrough_verification_fields: ['FULL_LEGAL_NAME', 'DATE_OF_BIRTH'],
    first_name: 'Billy',
    last_name: 'Duncan',
    date_of_birth: '1960-01-01',
    address: { address1: '123 Main St', city: 'New York', province: 'NY', country: 'USA', zip_code: '10001' },
    nationality: 'USA',
    cip_id: '073-05-1120',
    cip_id_type: 'SSN',
    cip_id_country: 'USA',
    phone_number: '+1 555 678 1234',
    email: 'example@somemail.org',
  },
  customer_due_diligence: {
    estimated_yearly_income: 'INCOME_50K_TO_100K',
    expected_transfer_value: 'TRANSFER_VALUE_25K_TO_50K',
    source_of_wealth: 'EMPLOYMENT_INCOME',
    employment_status: 'FULL_TIME',
    employment_industry_sector: 'ARTS_ENTERTAINMENT_RECREATION',
  },
});
