// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IRestakeManager} from "../restake/IRestakeManager.sol";

/// @title DepositVault
/// @notice Holds whitelisted ERC-20s (liquid restaking tokens and wETH) for users, who accrue points per second on
///         the value they hold there. A depositor does not have to trust the owner (docs/eth.md "Trust model"):
///         - a user's position is a number of shares of the vault's balance of that token, so rebasing tokens
///           (stETH), fee-on-transfer tokens and Lido's 1–2 wei rounding are accounted exactly: yield and losses
///           are shared pro rata, nothing is stranded and the last withdrawer never reverts;
///         - the deposit stop time and every claim-manager change take effect only after a notice period fixed
///           at deployment, the stop time is set once, and claims pay only the receiver announced with the
///           claim manager, so users can always leave before a claim they do not accept;
///         - `withdraw` is never paused (a pause stops deposits, restaking and claims for at most MAX_PAUSE), so
///           no pause can cover a notice; a claim-manager proposal lapses if not activated within PROPOSAL_TTL
///           of its eta; ownership cannot be renounced; the owner can rescue only tokens nobody has a position in;
///         - a restake names the manager and the token it expects, so no configuration change can redirect it.
/// @dev    Points: per token a cumulative index of weight × seconds × (normalised assets per share) advances on
///         every touch of the token; a user's points are settled on every change of their shares or of the weight.
///         The time since the last touch is credited at the smaller of the assets recorded at that touch and the
///         assets now, so tokens sent to the vault (a flash-loaned donation) count only from the next touch on,
///         while a loss (negative rebase) counts at once.
///         1e18 points = one normalised token (1e18 units) held for one second at weight 1.0.
contract DepositVault is Ownable2Step, ReentrancyGuard {
    using SafeERC20 for IERC20;

    uint256 public constant WEIGHT_ONE = 1e18;
    uint256 public constant MAX_WEIGHT = 100e18;
    /// Virtual shares (OpenZeppelin ERC-4626 offset 6): a first depositor cannot inflate the share price.
    uint256 public constant VIRTUAL_SHARES = 1e6;
    uint256 public constant MIN_NOTICE = 1 hours;
    uint256 public constant MAX_NOTICE = 30 days;
    uint256 public constant MAX_PAUSE = 3 days;
    /// A claim-manager proposal can be activated only until this long after its eta; then it lapses.
    uint256 public constant PROPOSAL_TTL = 7 days;
    /// Wei a restake manager may pull less than asked (stETH moves 1–2 wei less than the amount).
    uint256 public constant RESTAKE_ROUNDING_WEI = 2;

    struct TokenInfo {
        bool known; // ever whitelisted: positions stay withdrawable after removal
        bool listed; // currently whitelisted: deposits accepted, points accrue
        uint8 decimals;
        uint64 lastUpdate; // timestamp the index was last advanced to
        uint256 weight; // 1e18 = 1.0; 0 while delisted
        uint256 index; // cumulative Σ weight·dt·normalisedAssetsPerShare
        uint256 totalShares;
        uint256 lastAssets; // assets at the end of the last touch: the most the time since then is credited at
    }

    struct Position {
        uint256 shares;
        uint256 points; // points settled at the last checkpoint
        uint256 index; // token index at the last checkpoint
    }

    /// Notice (seconds) between announcing a stop time or a claim manager and its effect; fixed at deployment.
    uint256 public immutable noticePeriod;

    mapping(address token => TokenInfo) private _tokens;
    address[] private _tokenList;
    mapping(address user => mapping(address token => Position)) private _positions;

    /// @notice Deposits are accepted while block.timestamp < depositStopTime; set once, at least noticePeriod ahead.
    uint64 public depositStopTime = type(uint64).max;
    address public claimManager;
    /// @notice The only address claims pay to (e.g. the next phase's contract), announced with the claim manager.
    address public claimReceiver;
    address public pendingClaimManager;
    address public pendingClaimReceiver;
    uint64 public pendingClaimManagerEta;
    /// @notice Paused while block.timestamp < pausedUntil.
    uint64 public pausedUntil;
    IRestakeManager public restakeManager;
    address public restakedToken; // ezETH minted by the restake manager

    event TokenWhitelisted(address indexed token, uint256 weight, uint8 decimals);
    event TokenRemoved(address indexed token);
    event WeightSet(address indexed token, uint256 oldWeight, uint256 newWeight);
    event DepositStopTimeSet(uint64 stopTime);
    event ClaimManagerProposed(address indexed manager, address indexed receiver, uint64 eta);
    event ClaimManagerCancelled(address indexed manager);
    event ClaimManagerSet(address indexed previous, address indexed current, address indexed receiver);
    event RestakeManagerSet(address indexed manager, address indexed restakedToken);
    event Paused(address account, uint64 until);
    event Unpaused(address account);
    event Rescued(address indexed token, address indexed to, uint256 amount);
    event Deposited(address indexed user, address indexed token, uint256 sent, uint256 credited, uint256 shares);
    event Withdrawn(address indexed user, address indexed token, uint256 amount, uint256 shares);
    event Restaked(
        address indexed user,
        address indexed token,
        address indexed manager,
        address restakedToken,
        uint256 amount,
        uint256 restakedMinted
    );
    event Claimed(address indexed user, address indexed token, uint256 amount, address indexed receiver);

    error ZeroAddress();
    error ZeroAmount();
    error TokenAlreadyWhitelisted(address token);
    error TokenNotWhitelisted(address token);
    error UnknownToken(address token);
    error UnsupportedDecimals(address token, uint8 decimals);
    error InvalidWeight(uint256 weight);
    error InvalidNoticePeriod(uint256 noticePeriod);
    error DepositsStopped(uint64 stopTime);
    error StopTimeAlreadySet(uint64 stopTime);
    error StopTimeTooSoon(uint64 stopTime, uint256 earliest);
    error InsufficientBalance(address user, address token, uint256 balance, uint256 requested);
    error NotClaimManager(address caller);
    error ClaimNotOpen(uint64 opensAt);
    error InvalidClaimReceiver(address receiver);
    error NoPendingClaimManager();
    error NoticePending(uint64 eta);
    error ProposalExpired(uint256 expiredAt);
    error RestakeNotConfigured();
    error RestakeConfigChanged(address manager, address restakedToken);
    error CannotRestakeRestakedToken();
    error RestakeTransferMismatch(uint256 expected, uint256 pulled);
    error NothingMinted();
    error InsufficientMinted(uint256 minMinted, uint256 minted);
    error DeadlineExpired(uint256 deadline);
    error EnforcedPause(uint64 until);
    error ExpectedPause();
    error PauseCooldown(uint256 nextPauseAt);
    error RenounceDisabled();
    error NothingToRescue(address token);

    /// @param claimManager_  initial claim manager (0: none); set without notice since nobody has deposited yet
    /// @param claimReceiver_ where its claims pay (0: the claim manager itself)
    constructor(address owner_, uint256 noticePeriod_, address claimManager_, address claimReceiver_) Ownable(owner_) {
        if (noticePeriod_ < MIN_NOTICE || noticePeriod_ > MAX_NOTICE) revert InvalidNoticePeriod(noticePeriod_);
        noticePeriod = noticePeriod_;
        if (claimManager_ != address(0)) _setClaimManager(claimManager_, claimReceiver_ == address(0) ? claimManager_ : claimReceiver_);
    }

    modifier whenNotPaused() {
        if (paused()) revert EnforcedPause(pausedUntil);
        _;
    }

    // ───────────────────────────── owner ─────────────────────────────

    /// @notice Whitelist `token` with `weight` (1e18 = 1.0). A token already whitelisted is refused;
    ///         a previously removed token may be listed again.
    function addToken(address token, uint256 weight) external onlyOwner {
        if (token == address(0)) revert ZeroAddress();
        TokenInfo storage t = _tokens[token];
        if (t.listed) revert TokenAlreadyWhitelisted(token);
        if (weight == 0 || weight > MAX_WEIGHT) revert InvalidWeight(weight);
        uint8 dec = IERC20Metadata(token).decimals();
        if (dec > 18) revert UnsupportedDecimals(token, dec);
        t.decimals = dec;
        _advance(token, t);
        _snapshot(token, t);
        if (!t.known) {
            t.known = true;
            _tokenList.push(token);
        }
        t.listed = true;
        t.weight = weight;
        emit TokenWhitelisted(token, weight, dec);
    }

    /// @notice Stop deposits of `token` and stop its points; existing positions stay withdrawable.
    function removeToken(address token) external onlyOwner {
        TokenInfo storage t = _tokens[token];
        if (!t.listed) revert TokenNotWhitelisted(token);
        _advance(token, t);
        _snapshot(token, t);
        t.listed = false;
        t.weight = 0;
        emit TokenRemoved(token);
    }

    /// @notice Change a listed token's weight; points up to now accrue at the old weight.
    function setWeight(address token, uint256 weight) external onlyOwner {
        TokenInfo storage t = _tokens[token];
        if (!t.listed) revert TokenNotWhitelisted(token);
        if (weight == 0 || weight > MAX_WEIGHT) revert InvalidWeight(weight);
        _advance(token, t);
        _snapshot(token, t);
        emit WeightSet(token, t.weight, weight);
        t.weight = weight;
    }

    /// @notice Deposits are refused from `stopTime` on. Set once, at least `noticePeriod` from now.
    function setDepositStopTime(uint64 stopTime) external onlyOwner {
        if (depositStopTime != type(uint64).max) revert StopTimeAlreadySet(depositStopTime);
        uint256 earliest = block.timestamp + noticePeriod;
        if (stopTime < earliest || stopTime == type(uint64).max) revert StopTimeTooSoon(stopTime, earliest);
        depositStopTime = stopTime;
        emit DepositStopTimeSet(stopTime);
    }

    /// @notice Announce a new claim manager and the receiver its claims pay; anyone activates it after the notice.
    function proposeClaimManager(address manager, address receiver) external onlyOwner {
        if (manager == address(0)) revert ZeroAddress();
        if (receiver == address(0) || receiver == address(this)) revert InvalidClaimReceiver(receiver);
        uint64 eta = uint64(block.timestamp + noticePeriod);
        pendingClaimManager = manager;
        pendingClaimReceiver = receiver;
        pendingClaimManagerEta = eta;
        emit ClaimManagerProposed(manager, receiver, eta);
    }

    function cancelClaimManager() external onlyOwner {
        address m = pendingClaimManager;
        if (m == address(0)) revert NoPendingClaimManager();
        _clearPending();
        emit ClaimManagerCancelled(m);
    }

    /// @notice Anyone: put the proposed claim manager in place once its notice has passed, and at most
    ///         PROPOSAL_TTL after that (a proposal left that long lapses; a new one needs a new notice).
    function activateClaimManager() external {
        address m = pendingClaimManager;
        if (m == address(0)) revert NoPendingClaimManager();
        uint64 eta = pendingClaimManagerEta;
        if (block.timestamp < eta) revert NoticePending(eta);
        if (block.timestamp > eta + PROPOSAL_TTL) revert ProposalExpired(eta + PROPOSAL_TTL);
        address r = pendingClaimReceiver;
        _clearPending();
        _setClaimManager(m, r);
    }

    /// @notice Configure the Renzo-style restake manager and the token it mints (must be whitelisted). Every
    ///         restake names the manager and token it expects, with its own `minMinted` and `deadline`, so a change
    ///         here makes restakes sent for the old configuration revert instead of redirecting them.
    function setRestakeManager(address manager, address restaked) external onlyOwner {
        if (manager == address(0) || restaked == address(0)) revert ZeroAddress();
        if (!_tokens[restaked].listed) revert TokenNotWhitelisted(restaked);
        restakeManager = IRestakeManager(manager);
        restakedToken = restaked;
        emit RestakeManagerSet(manager, restaked);
    }

    /// @notice Pause deposits, restaking and claims for at most MAX_PAUSE; a new pause needs MAX_PAUSE unpaused
    ///         first. Withdrawals are never paused: a pause must not cover the notice of a stop time or of a claim
    ///         manager, which is the users' window to leave.
    function pause() external onlyOwner {
        if (paused()) revert EnforcedPause(pausedUntil);
        uint256 next = pausedUntil == 0 ? 0 : pausedUntil + MAX_PAUSE;
        if (block.timestamp < next) revert PauseCooldown(next);
        pausedUntil = uint64(block.timestamp + MAX_PAUSE);
        emit Paused(msg.sender, pausedUntil);
    }

    function unpause() external onlyOwner {
        if (!paused()) revert ExpectedPause();
        pausedUntil = uint64(block.timestamp);
        emit Unpaused(msg.sender);
    }

    /// @notice Ownership cannot be given up: an owner-less vault could not be administered.
    function renounceOwnership() public view override onlyOwner {
        revert RenounceDisabled();
    }

    /// @notice Send `token` held by the vault but owned by nobody to `to`: a token never listed, or a listed
    ///         token nobody has a position in. Balances of depositors can never be rescued.
    function rescue(address token, address to) external onlyOwner nonReentrant returns (uint256 amount) {
        if (to == address(0)) revert ZeroAddress();
        TokenInfo storage t = _tokens[token];
        amount = IERC20(token).balanceOf(address(this));
        if (t.totalShares != 0 || amount == 0) revert NothingToRescue(token);
        IERC20(token).safeTransfer(to, amount);
        emit Rescued(token, to, amount);
    }

    // ───────────────────────────── users ─────────────────────────────

    /// @notice Deposit `amount` of a whitelisted token; the credit is what actually arrived (fee-on-transfer safe).
    function deposit(address token, uint256 amount) external whenNotPaused nonReentrant returns (uint256 credited) {
        if (amount == 0) revert ZeroAmount();
        TokenInfo storage t = _tokens[token];
        if (!t.listed) revert TokenNotWhitelisted(token);
        if (block.timestamp >= depositStopTime) revert DepositsStopped(depositStopTime);
        uint256 assetsBefore = _checkpoint(msg.sender, token, t);
        uint256 before = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
        credited = IERC20(token).balanceOf(address(this)) - before;
        uint256 shares = _credit(msg.sender, token, t, credited, assetsBefore);
        _snapshot(token, t);
        emit Deposited(msg.sender, token, amount, credited, shares);
    }

    /// @notice Withdraw `amount` of your own balance (type(uint256).max: all of it), also of removed tokens, at
    ///         any time: withdrawals are never paused.
    function withdraw(address token, uint256 amount) external nonReentrant {
        uint256 shares;
        (amount, shares) = _debit(msg.sender, token, amount);
        IERC20(token).safeTransfer(msg.sender, amount);
        _snapshot(token, _tokens[token]);
        emit Withdrawn(msg.sender, token, amount, shares);
    }

    /// @notice Restake `amount` of your deposited `token` through the restake manager; the ezETH it mints to the
    ///         vault is credited to you. Reverts unless the vault's manager and restaked token are `expectedManager`
    ///         and `expectedRestaked` (what you quoted against) and at least `minMinted` of that token arrives by
    ///         `deadline` (unix seconds).
    function restake(
        address token,
        uint256 amount,
        uint256 minMinted,
        uint256 deadline,
        address expectedManager,
        address expectedRestaked
    ) external whenNotPaused nonReentrant returns (uint256 minted) {
        if (block.timestamp > deadline) revert DeadlineExpired(deadline);
        IRestakeManager manager = restakeManager;
        address restaked = restakedToken;
        if (address(manager) == address(0)) revert RestakeNotConfigured();
        if (address(manager) != expectedManager || restaked != expectedRestaked) {
            revert RestakeConfigChanged(address(manager), restaked);
        }
        if (token == restaked) revert CannotRestakeRestakedToken();
        TokenInfo storage r = _tokens[restaked];
        if (!r.listed) revert TokenNotWhitelisted(restaked);
        (amount,) = _debit(msg.sender, token, amount);
        uint256 restakedAssetsBefore = _checkpoint(msg.sender, restaked, r);
        minted = _restakeThrough(manager, token, amount, restaked);
        if (minted < minMinted) revert InsufficientMinted(minMinted, minted);
        _credit(msg.sender, restaked, r, minted, restakedAssetsBefore);
        _snapshot(token, _tokens[token]);
        _snapshot(restaked, r);
        emit Restaked(msg.sender, token, address(manager), restaked, amount, minted);
    }

    /// Hand `amount` of `token` to the manager (it may pull up to RESTAKE_ROUNDING_WEI less); returns what it minted.
    function _restakeThrough(IRestakeManager manager, address token, uint256 amount, address restaked)
        private
        returns (uint256 minted)
    {
        uint256 tokenBefore = IERC20(token).balanceOf(address(this));
        uint256 restakedBefore = IERC20(restaked).balanceOf(address(this));
        IERC20(token).forceApprove(address(manager), amount);
        manager.deposit(IERC20(token), amount);
        IERC20(token).forceApprove(address(manager), 0);
        uint256 pulled = tokenBefore - IERC20(token).balanceOf(address(this));
        if (pulled > amount || pulled + RESTAKE_ROUNDING_WEI < amount) revert RestakeTransferMismatch(amount, pulled);
        minted = IERC20(restaked).balanceOf(address(this)) - restakedBefore;
        if (minted == 0) revert NothingMinted();
    }

    // ───────────────────────────── claim manager ─────────────────────────────

    /// @notice The claim manager moves `amount` (type(uint256).max: all) of `user`'s balance to the claim receiver
    ///         announced with it, only after deposits stopped.
    function claim(address user, address token, uint256 amount) external whenNotPaused nonReentrant {
        if (msg.sender != claimManager || msg.sender == address(0)) revert NotClaimManager(msg.sender);
        if (block.timestamp < depositStopTime) revert ClaimNotOpen(depositStopTime);
        address receiver = claimReceiver;
        (amount,) = _debit(user, token, amount);
        IERC20(token).safeTransfer(receiver, amount);
        _snapshot(token, _tokens[token]);
        emit Claimed(user, token, amount, receiver);
    }

    // ───────────────────────────── views ─────────────────────────────

    function paused() public view returns (bool) {
        return block.timestamp < pausedUntil;
    }

    /// @notice Total points of `user` across all tokens, accrued up to now.
    function pointsOf(address user) external view returns (uint256 total) {
        uint256 n = _tokenList.length;
        for (uint256 i = 0; i < n; i++) total += _pendingPoints(user, _tokenList[i]);
    }

    /// @notice Points of `user` from `token` alone, accrued up to now.
    function pointsOfToken(address user, address token) external view returns (uint256) {
        return _pendingPoints(user, token);
    }

    /// @notice What `user` could withdraw of `token` now (their shares of the vault's balance, rounded down).
    function balanceOf(address user, address token) external view returns (uint256) {
        TokenInfo storage t = _tokens[token];
        return _toAssets(_positions[user][token].shares, _assets(token, t), t.totalShares, Math.Rounding.Floor);
    }

    function sharesOf(address user, address token) external view returns (uint256) {
        return _positions[user][token].shares;
    }

    /// @notice The vault's balance of `token` owned by depositors (all of it while anyone holds shares).
    function totalDeposited(address token) external view returns (uint256) {
        return _assets(token, _tokens[token]);
    }

    function tokens() external view returns (address[] memory) {
        return _tokenList;
    }

    function tokenInfo(address token) external view returns (TokenInfo memory) {
        return _tokens[token];
    }

    // ───────────────────────────── internals ─────────────────────────────

    function _setClaimManager(address manager, address receiver) private {
        if (receiver == address(0) || receiver == address(this)) revert InvalidClaimReceiver(receiver);
        emit ClaimManagerSet(claimManager, manager, receiver);
        claimManager = manager;
        claimReceiver = receiver;
    }

    function _clearPending() private {
        pendingClaimManager = address(0);
        pendingClaimReceiver = address(0);
        pendingClaimManagerEta = 0;
    }

    /// Assets backing the shares of `token`: the vault's whole balance while anyone holds shares.
    function _assets(address token, TokenInfo storage t) private view returns (uint256) {
        return t.totalShares == 0 ? 0 : IERC20(token).balanceOf(address(this));
    }

    function _toShares(uint256 assets, uint256 total, uint256 supply, Math.Rounding rounding) private pure returns (uint256) {
        return Math.mulDiv(assets, supply + VIRTUAL_SHARES, total + 1, rounding);
    }

    function _toAssets(uint256 shares, uint256 total, uint256 supply, Math.Rounding rounding) private pure returns (uint256) {
        return Math.mulDiv(shares, total + 1, supply + VIRTUAL_SHARES, rounding);
    }

    /// Mint shares for `credited` assets that arrived on top of `assetsBefore` (checkpointed by the caller).
    function _credit(address user, address token, TokenInfo storage t, uint256 credited, uint256 assetsBefore)
        private
        returns (uint256 shares)
    {
        shares = _toShares(credited, assetsBefore, t.totalShares, Math.Rounding.Floor);
        if (shares == 0) revert ZeroAmount();
        _positions[user][token].shares += shares;
        t.totalShares += shares;
    }

    /// Burn the shares worth `amount` (rounded up; type(uint256).max: all shares); returns (assets, shares).
    function _debit(address user, address token, uint256 amount) private returns (uint256, uint256 shares) {
        if (amount == 0) revert ZeroAmount();
        TokenInfo storage t = _tokens[token];
        if (!t.known) revert UnknownToken(token);
        uint256 assets = _checkpoint(user, token, t);
        Position storage p = _positions[user][token];
        if (amount == type(uint256).max) {
            shares = p.shares;
            amount = _toAssets(shares, assets, t.totalShares, Math.Rounding.Floor);
            if (amount == 0) revert ZeroAmount();
        } else {
            shares = _toShares(amount, assets, t.totalShares, Math.Rounding.Ceil);
        }
        if (shares > p.shares) {
            revert InsufficientBalance(user, token, _toAssets(p.shares, assets, t.totalShares, Math.Rounding.Floor), amount);
        }
        p.shares -= shares;
        t.totalShares -= shares;
        return (amount, shares);
    }

    /// Advance the token's index to now (see _indexDelta); returns the assets now.
    function _advance(address token, TokenInfo storage t) private returns (uint256 assets) {
        assets = _assets(token, t);
        if (block.timestamp > t.lastUpdate) {
            t.index += _indexDelta(t, assets, block.timestamp - t.lastUpdate);
            t.lastUpdate = uint64(block.timestamp);
        }
    }

    /// Record the token's assets at the end of a touch (after its transfers): the most the time until the next
    /// touch is credited at.
    function _snapshot(address token, TokenInfo storage t) private {
        t.lastAssets = _assets(token, t);
    }

    /// The index over the `dt` seconds since the last touch, at the smaller of the assets recorded then and
    /// `assetsNow`: tokens that arrived without a touch (a donation) count only from the next interval on.
    function _indexDelta(TokenInfo storage t, uint256 assetsNow, uint256 dt) private view returns (uint256) {
        if (t.totalShares == 0) return 0;
        uint256 assets = Math.min(t.lastAssets, assetsNow);
        return (t.weight * dt * _normalise(t.decimals, assets + 1)) / (t.totalShares + VIRTUAL_SHARES);
    }

    /// Settle `user`'s points in `token` up to now; returns the token's assets (before any transfer).
    function _checkpoint(address user, address token, TokenInfo storage t) private returns (uint256 assets) {
        assets = _advance(token, t);
        Position storage p = _positions[user][token];
        if (p.shares != 0) p.points += (p.shares * (t.index - p.index)) / WEIGHT_ONE;
        p.index = t.index;
    }

    function _pendingPoints(address user, address token) private view returns (uint256) {
        TokenInfo storage t = _tokens[token];
        Position storage p = _positions[user][token];
        if (p.shares == 0) return p.points;
        uint256 idx = t.index;
        if (block.timestamp > t.lastUpdate) idx += _indexDelta(t, _assets(token, t), block.timestamp - t.lastUpdate);
        return p.points + (p.shares * (idx - p.index)) / WEIGHT_ONE;
    }

    function _normalise(uint8 decimals, uint256 amount) private pure returns (uint256) {
        return amount * 10 ** (18 - decimals);
    }
}
