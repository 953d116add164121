/** The Admin GraphQL documents this package sends (API version 2025-10 shapes). */

const ORDER_FRAGMENT = /* GraphQL */ `
  fragment StoredeskOrder on Order {
    id
    name
    createdAt
    cancelledAt
    displayFinancialStatus
    displayFulfillmentStatus
    totalPriceSet {
      shopMoney {
        amount
        currencyCode
      }
    }
    lineItems(first: 50) {
      nodes {
        id
        title
        quantity
        sku
        originalUnitPriceSet {
          shopMoney {
            amount
            currencyCode
          }
        }
      }
    }
    fulfillments(first: 10) {
      id
      status
      displayStatus
      updatedAt
      estimatedDeliveryAt
      trackingInfo(first: 5) {
        number
        company
        url
      }
    }
  }
`;

const CUSTOMER_FRAGMENT = /* GraphQL */ `
  fragment StoredeskCustomer on Customer {
    id
    displayName
    defaultEmailAddress {
      emailAddress
    }
    defaultPhoneNumber {
      phoneNumber
    }
    numberOfOrders
    amountSpent {
      amount
      currencyCode
    }
    orders(first: $orders, sortKey: CREATED_AT, reverse: true) {
      nodes {
        ...StoredeskOrder
      }
    }
  }
`;

export const CUSTOMER_BY_ID = /* GraphQL */ `
  query StoredeskCustomerById($id: ID!, $orders: Int!) {
    customer(id: $id) {
      ...StoredeskCustomer
    }
  }
  ${CUSTOMER_FRAGMENT}
  ${ORDER_FRAGMENT}
`;

export const CUSTOMER_SEARCH = /* GraphQL */ `
  query StoredeskCustomerSearch($query: String!, $orders: Int!) {
    customers(first: 1, query: $query) {
      nodes {
        ...StoredeskCustomer
      }
    }
  }
  ${CUSTOMER_FRAGMENT}
  ${ORDER_FRAGMENT}
`;

export const ORDER_BY_ID = /* GraphQL */ `
  query StoredeskOrderById($id: ID!) {
    order(id: $id) {
      ...StoredeskOrder
    }
  }
  ${ORDER_FRAGMENT}
`;

export const SUGGEST_REFUND = /* GraphQL */ `
  query StoredeskSuggestRefund($id: ID!, $lines: [RefundLineItemInput!], $full: Boolean) {
    order(id: $id) {
      id
      suggestedRefund(refundLineItems: $lines, suggestFullRefund: $full, refundShipping: $full) {
        amountSet {
          shopMoney {
            amount
            currencyCode
          }
        }
        maximumRefundableSet {
          shopMoney {
            amount
            currencyCode
          }
        }
        refundLineItems {
          lineItem {
            id
          }
          quantity
        }
        suggestedTransactions {
          gateway
          kind
          amountSet {
            shopMoney {
              amount
              currencyCode
            }
          }
          parentTransaction {
            id
          }
        }
      }
    }
  }
`;

/**
 * refundCreate; with `idempotent` the `@idempotent(key:)` directive is added
 * (supported on refundCreate from API version 2026-01, mandatory from 2026-04).
 */
export function refundCreateMutation(idempotent: boolean): string {
  const keyVar = idempotent ? ", $idempotencyKey: String!" : "";
  const directive = idempotent ? " @idempotent(key: $idempotencyKey)" : "";
  return /* GraphQL */ `
mutation StoredeskRefund($input: RefundInput!${keyVar}) {
  refundCreate(input: $input)${directive} {
    refund { id totalRefundedSet { shopMoney { amount currencyCode } } }
    userErrors { field message }
  }
}`;
}

export const ORDER_CANCEL = /* GraphQL */ `
  mutation StoredeskCancel(
    $orderId: ID!
    $notifyCustomer: Boolean
    $refundMethod: OrderCancelRefundMethodInput!
    $restock: Boolean!
    $reason: OrderCancelReason!
    $staffNote: String
  ) {
    orderCancel(
      orderId: $orderId
      notifyCustomer: $notifyCustomer
      refundMethod: $refundMethod
      restock: $restock
      reason: $reason
      staffNote: $staffNote
    ) {
      job {
        id
        done
      }
      orderCancelUserErrors {
        field
        message
        code
      }
    }
  }
`;

export const DISCOUNT_CREATE = /* GraphQL */ `
  mutation StoredeskDiscount($input: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $input) {
      codeDiscountNode {
        id
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export const DISCOUNT_BY_CODE = /* GraphQL */ `
  query StoredeskDiscountByCode($code: String!) {
    codeDiscountNodeByCode(code: $code) {
      id
    }
  }
`;
