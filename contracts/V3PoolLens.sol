// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

/// @notice A read-only view of a Uniswap V3 pool's storage, never deployed: ARBY places this
/// code at a pool's own address through an eth_call state override, so it runs on the pool's
/// storage and reads the whole tick bitmap in one call (a pool at tick spacing 1 has 6,932
/// bitmap words; reading them through the pool's getters costs one sub-call each). It returns
/// raw slots; the caller decodes them with the pool's layout (UniswapV3Pool v1.0: slot0 at 0,
/// liquidity at 4, ticks at 5, tickBitmap at 6 — Sushi V3 is the same code) and checks the
/// result against the pool's own getters.
contract V3PoolLens {
    uint256 private constant SLOT0 = 0;
    uint256 private constant LIQUIDITY = 4;
    uint256 private constant TICKS = 5;
    uint256 private constant TICK_BITMAP = 6;

    /// @return slot0 the raw slot0 word (sqrtPriceX96 in the low 160 bits, then tick)
    /// @return liquidity the raw liquidity word (low 128 bits)
    /// @return words the bitmap words in [minWord, maxWord] that are not zero, ascending
    /// @return bitmaps those words' values
    /// @return ticks every initialized tick (a set bit), ascending
    /// @return infos each tick's first Tick.Info slot (liquidityGross low 128 bits, liquidityNet high 128)
    function snapshot(int16 minWord, int16 maxWord, int24 tickSpacing)
        external
        view
        returns (uint256 slot0, uint256 liquidity, int16[] memory words, uint256[] memory bitmaps, int24[] memory ticks, uint256[] memory infos)
    {
        slot0 = _load(bytes32(SLOT0));
        liquidity = _load(bytes32(LIQUIDITY));
        uint256 span = uint256(int256(maxWord) - int256(minWord) + 1);
        words = new int16[](span);
        bitmaps = new uint256[](span);
        uint256 count;
        uint256 bits;
        for (int256 w = minWord; w <= maxWord; ++w) {
            uint256 value = _load(keccak256(abi.encode(int16(w), TICK_BITMAP)));
            if (value == 0) continue;
            words[count] = int16(w);
            bitmaps[count] = value;
            ++count;
            for (uint256 v = value; v != 0; v &= v - 1) ++bits;
        }
        assembly ("memory-safe") {
            mstore(words, count)
            mstore(bitmaps, count)
        }
        ticks = new int24[](bits);
        infos = new uint256[](bits);
        uint256 k;
        for (uint256 i; i < count; ++i) {
            uint256 value = bitmaps[i];
            for (uint256 bit; bit < 256; ++bit) {
                if ((value >> bit) & 1 == 0) continue;
                int24 tick = int24((int256(words[i]) * 256 + int256(bit)) * tickSpacing);
                ticks[k] = tick;
                infos[k] = _load(keccak256(abi.encode(tick, TICKS)));
                ++k;
            }
        }
    }

    function _load(bytes32 slot) private view returns (uint256 value) {
        assembly ("memory-safe") {
            value := sload(slot)
        }
    }
}
