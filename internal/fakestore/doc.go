// Package fakestore is the fake People API's data engine: the people, and
// the API's semantics over them, behind the strict server interface
// generated from openapi.yaml, so that every answer has the spec's types by
// construction.
//
// A [Store] numbers its people in seed order and keeps, for each, only
// what sorting and filtering need; the rest is made on demand from the
// [Seed] (a generated person from their number) with updates laid over it.
// One index of short sorted blocks per sort field is kept up to date on
// each update, so a page costs a binary search and a short scan whatever
// the account's size: a million people answer in milliseconds. Cursors
// are keyset cursors that carry the walk they continue. Package peopletest
// serves a Store over HTTP and checks each call against the contract.
package fakestore
