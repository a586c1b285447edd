// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

/// @notice Devnet stand-in for Arbitrum's NodeInterface (0x…C8), placed with anvil_setCode.
/// Storage slot 0 holds the L1 base fee estimate (wei), slot 1 the L2 base fee to price L1 gas
/// in when the call carries none. The L1 part of a transaction, in L2 gas, is the docs' formula
/// with the raw calldata size for the brotli-compressed one: 16 × l1BaseFee × (140 + len) / baseFee.
contract MockNodeInterface {
    uint256 internal l1BaseFee;
    uint256 internal l2BaseFee;

    function gasEstimateL1Component(address, bool, bytes calldata data)
        external
        payable
        returns (uint64 gasEstimateForL1, uint256 baseFee, uint256 l1BaseFeeEstimate)
    {
        baseFee = block.basefee == 0 ? l2BaseFee : block.basefee;
        l1BaseFeeEstimate = l1BaseFee;
        gasEstimateForL1 = baseFee == 0 ? 0 : uint64((16 * l1BaseFee * (140 + data.length)) / baseFee);
    }
}
