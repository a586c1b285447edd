// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

/// @title ArbExecutor — a two-leg DEX-DEX arbitrage in one atomic transaction, with no capital.
/// @notice Sells exactly `size` base on the sell pool first; that pool pays out before it is paid
/// (a flash swap through its own callback). Inside the callback, buys exactly `size` base on the
/// buy pool, delivered straight to the sell pool, and pays the buy pool from the proceeds. The
/// difference stays here until the owner sweeps it.
/// @dev Security: only the immutable owner can start a trade or move funds; a callback is
/// accepted only from the pool this contract is calling at that moment (a transient "expected
/// caller" slot, set just before each pool call and cleared after), and only in the stage it
/// expects; no allowance is ever granted; every token transfer's result is checked; all
/// transient slots are cleared before `arb` returns. Pool kinds: 0 = Uniswap V3 style
/// (Uniswap, Sushi V3), 1 = Algebra, 2 = Uniswap V2 style (0.3% fee pairs).
contract ArbExecutor {
    uint8 internal constant KIND_V3 = 0;
    uint8 internal constant KIND_ALGEBRA = 1;
    uint8 internal constant KIND_V2 = 2;

    /// TickMath.MIN_SQRT_RATIO + 1 and MAX_SQRT_RATIO - 1: "no price limit" (same in Algebra).
    uint160 internal constant MIN_LIMIT = 4295128740;
    uint160 internal constant MAX_LIMIT = 1461446703485210103287273052203988822378723970341;

    // Transient storage slots (cleared before `arb` returns).
    uint256 internal constant T_EXPECTED = 0; // the only address whose callback is accepted now
    uint256 internal constant T_STAGE = 1; // STAGE_SELL or STAGE_BUY
    uint256 internal constant T_SELL_POOL = 2;
    uint256 internal constant T_BUY_POOL = 3;
    uint256 internal constant T_BUY_KIND = 4;
    uint256 internal constant T_BASE = 5;
    uint256 internal constant T_QUOTE = 6;
    uint256 internal constant T_SIZE = 7;
    uint256 internal constant T_QUOTE_OUT = 8;
    uint256 internal constant T_QUOTE_IN = 9;

    uint256 internal constant STAGE_SELL = 1;
    uint256 internal constant STAGE_BUY = 2;

    address public immutable owner;

    error NotOwner();
    error BadCallback(address caller);
    error BadKind(uint8 kind);
    error ShortFill(uint256 got, uint256 wanted);
    error Unprofitable(uint256 quoteOut, uint256 quoteIn);
    error ProfitTooLow(uint256 profit, uint256 minProfit);
    error TransferFailed(address token);

    event Arb(address indexed sellPool, address indexed buyPool, uint256 size, uint256 quoteOut, uint256 quoteIn, uint256 profit);

    constructor() {
        owner = msg.sender;
    }

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner();
        _;
    }

    /// @notice Sells `size` base on `sellPool` (exact input) and buys `size` base on `buyPool`
    /// (exact output, delivered to `sellPool`), keeping `quoteOut - quoteIn` in `quote`.
    /// @return profit the quote-token gain of this contract, at least `minProfit`.
    function arb(address sellPool, uint8 sellKind, address buyPool, uint8 buyKind, address base, address quote, uint256 size, uint256 minProfit)
        external
        onlyOwner
        returns (uint256 profit)
    {
        if (sellKind > KIND_V2) revert BadKind(sellKind);
        if (buyKind > KIND_V2) revert BadKind(buyKind);
        uint256 before = _balanceOf(quote, address(this));
        _tstore(T_SELL_POOL, uint256(uint160(sellPool)));
        _tstore(T_BUY_POOL, uint256(uint160(buyPool)));
        _tstore(T_BUY_KIND, buyKind);
        _tstore(T_BASE, uint256(uint160(base)));
        _tstore(T_QUOTE, uint256(uint160(quote)));
        _tstore(T_SIZE, size);
        _tstore(T_STAGE, STAGE_SELL);
        _tstore(T_EXPECTED, uint256(uint160(sellPool)));

        bool baseIsToken0 = base < quote;
        if (sellKind == KIND_V2) {
            (uint256 reserveBase, uint256 reserveQuote) = _reserves(sellPool, baseIsToken0);
            uint256 out = _v2AmountOut(size, reserveBase, reserveQuote);
            _tstore(T_QUOTE_OUT, out);
            // Optimistic transfer of the quote out; the pair calls uniswapV2Call, where the base is delivered.
            IUniswapV2PairLike(sellPool).swap(baseIsToken0 ? 0 : out, baseIsToken0 ? out : 0, address(this), hex"01");
        } else {
            IClPoolLike(sellPool).swap(address(this), baseIsToken0, int256(size), baseIsToken0 ? MIN_LIMIT : MAX_LIMIT, "");
        }

        uint256 quoteOut = _tload(T_QUOTE_OUT);
        uint256 quoteIn = _tload(T_QUOTE_IN);
        _clear();
        profit = _balanceOf(quote, address(this)) - before;
        if (profit < minProfit) revert ProfitTooLow(profit, minProfit);
        emit Arb(sellPool, buyPool, size, quoteOut, quoteIn, profit);
    }

    /// @notice Moves `amount` of `token` held here to `to` (the owner's way to collect profit).
    function sweep(address token, address to, uint256 amount) external onlyOwner {
        _pay(token, to, amount);
    }

    function uniswapV3SwapCallback(int256 amount0Delta, int256 amount1Delta, bytes calldata) external {
        _clCallback(amount0Delta, amount1Delta);
    }

    function algebraSwapCallback(int256 amount0Delta, int256 amount1Delta, bytes calldata) external {
        _clCallback(amount0Delta, amount1Delta);
    }

    /// @dev The V2 sell pair has sent the quote out; deliver `size` base to it by buying on the buy pool.
    function uniswapV2Call(address sender, uint256, uint256, bytes calldata) external {
        if (msg.sender != address(uint160(_tload(T_EXPECTED))) || sender != address(this) || _tload(T_STAGE) != STAGE_SELL) {
            revert BadCallback(msg.sender);
        }
        _buy();
    }

    /// @dev A concentrated-liquidity pool's callback: the sell pool asking for its base, or the buy pool for its quote.
    function _clCallback(int256 amount0Delta, int256 amount1Delta) internal {
        if (msg.sender != address(uint160(_tload(T_EXPECTED)))) revert BadCallback(msg.sender);
        address base = address(uint160(_tload(T_BASE)));
        address quote = address(uint160(_tload(T_QUOTE)));
        (int256 baseDelta, int256 quoteDelta) = base < quote ? (amount0Delta, amount1Delta) : (amount1Delta, amount0Delta);
        uint256 size = _tload(T_SIZE);
        uint256 stage = _tload(T_STAGE);
        if (stage == STAGE_SELL) {
            // Owed exactly `size` base (less: the pool reached its price limit); it paid `quoteOut`.
            if (baseDelta <= 0 || uint256(baseDelta) != size) revert ShortFill(baseDelta > 0 ? uint256(baseDelta) : 0, size);
            _tstore(T_QUOTE_OUT, uint256(-quoteDelta));
            _buy();
        } else if (stage == STAGE_BUY) {
            // Delivered exactly `size` base to the sell pool; owed `quoteIn`, paid from the proceeds.
            if (baseDelta >= 0 || uint256(-baseDelta) != size) revert ShortFill(baseDelta < 0 ? uint256(-baseDelta) : 0, size);
            uint256 quoteIn = uint256(quoteDelta);
            uint256 quoteOut = _tload(T_QUOTE_OUT);
            if (quoteIn > quoteOut) revert Unprofitable(quoteOut, quoteIn);
            _tstore(T_QUOTE_IN, quoteIn);
            _pay(quote, msg.sender, quoteIn);
        } else {
            revert BadCallback(msg.sender);
        }
    }

    /// @dev Buys exactly `size` base on the buy pool, delivered to the sell pool.
    function _buy() internal {
        address sellPool = address(uint160(_tload(T_SELL_POOL)));
        address buyPool = address(uint160(_tload(T_BUY_POOL)));
        address base = address(uint160(_tload(T_BASE)));
        address quote = address(uint160(_tload(T_QUOTE)));
        uint256 size = _tload(T_SIZE);
        bool baseIsToken0 = base < quote;
        _tstore(T_STAGE, STAGE_BUY);
        if (_tload(T_BUY_KIND) == KIND_V2) {
            (uint256 reserveBase, uint256 reserveQuote) = _reserves(buyPool, baseIsToken0);
            uint256 quoteIn = _v2AmountIn(size, reserveQuote, reserveBase);
            uint256 quoteOut = _tload(T_QUOTE_OUT);
            if (quoteIn > quoteOut) revert Unprofitable(quoteOut, quoteIn);
            _tstore(T_QUOTE_IN, quoteIn);
            _tstore(T_EXPECTED, 0); // a V2 buy makes no callback
            _pay(quote, buyPool, quoteIn);
            IUniswapV2PairLike(buyPool).swap(baseIsToken0 ? size : 0, baseIsToken0 ? 0 : size, sellPool, "");
        } else {
            _tstore(T_EXPECTED, uint256(uint160(buyPool)));
            // quote → base: zeroForOne when the quote is token0.
            IClPoolLike(buyPool).swap(sellPool, !baseIsToken0, -int256(size), baseIsToken0 ? MAX_LIMIT : MIN_LIMIT, "");
        }
        // Nothing may call back any more in this trade.
        _tstore(T_EXPECTED, 0);
    }

    function _reserves(address pair, bool baseIsToken0) internal view returns (uint256 reserveBase, uint256 reserveQuote) {
        (uint112 r0, uint112 r1,) = IUniswapV2PairLike(pair).getReserves();
        (reserveBase, reserveQuote) = baseIsToken0 ? (uint256(r0), uint256(r1)) : (uint256(r1), uint256(r0));
    }

    /// UniswapV2Library.getAmountOut (0.3% fee).
    function _v2AmountOut(uint256 amountIn, uint256 reserveIn, uint256 reserveOut) internal pure returns (uint256) {
        uint256 amountInWithFee = amountIn * 997;
        return (amountInWithFee * reserveOut) / (reserveIn * 1000 + amountInWithFee);
    }

    /// UniswapV2Library.getAmountIn (0.3% fee).
    function _v2AmountIn(uint256 amountOut, uint256 reserveIn, uint256 reserveOut) internal pure returns (uint256) {
        if (amountOut >= reserveOut) revert ShortFill(reserveOut, amountOut);
        return (reserveIn * amountOut * 1000) / ((reserveOut - amountOut) * 997) + 1;
    }

    function _balanceOf(address token, address account) internal view returns (uint256) {
        (bool ok, bytes memory data) = token.staticcall(abi.encodeWithSelector(0x70a08231, account));
        if (!ok || data.length < 32) revert TransferFailed(token);
        return abi.decode(data, (uint256));
    }

    /// @dev ERC20 transfer with its result checked (a token returning false or nothing-but-failure reverts).
    function _pay(address token, address to, uint256 amount) internal {
        (bool ok, bytes memory data) = token.call(abi.encodeWithSelector(0xa9059cbb, to, amount));
        if (!ok || (data.length != 0 && !abi.decode(data, (bool)))) revert TransferFailed(token);
    }

    function _clear() internal {
        for (uint256 slot = T_EXPECTED; slot <= T_QUOTE_IN; slot++) _tstore(slot, 0);
    }

    function _tstore(uint256 slot, uint256 value) internal {
        assembly {
            tstore(slot, value)
        }
    }

    function _tload(uint256 slot) internal view returns (uint256 value) {
        assembly {
            value := tload(slot)
        }
    }
}

/// Uniswap V3 and Algebra share this swap signature.
interface IClPoolLike {
    function swap(address recipient, bool zeroForOne, int256 amountSpecified, uint160 sqrtPriceLimitX96, bytes calldata data)
        external
        returns (int256 amount0, int256 amount1);
}

interface IUniswapV2PairLike {
    function getReserves() external view returns (uint112 reserve0, uint112 reserve1, uint32 blockTimestampLast);
    function swap(uint256 amount0Out, uint256 amount1Out, address to, bytes calldata data) external;
}
